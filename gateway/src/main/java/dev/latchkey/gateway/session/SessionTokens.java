package dev.latchkey.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens a gateway session holds for its user; only ever stored sealed. {@code accessIssuedAt} is when the gateway
 * received the access token, {@code accessExpiresAt} that plus its {@code expires_in} (RFC 6749 §5.1), both on the
 * gateway's clock.
 */
public record SessionTokens(String accessToken, Instant accessIssuedAt, Instant accessExpiresAt, Optional<String> refreshToken,
                            String idToken) {
    /** The largest share of an access token's lifetime spent on the refresh margin (the defaults' ratio, 30 s of 5 min). */
    static final int MARGIN_SHARE = 10;

    public SessionTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessIssuedAt, "accessIssuedAt");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(idToken, "idToken");
        if (accessIssuedAt.isAfter(accessExpiresAt)) {
            throw new IllegalArgumentException("an access token expires after it is issued");
        }
    }

    /** How long the access token is valid in all. */
    public Duration accessLifetime() {
        return Duration.between(accessIssuedAt, accessExpiresAt);
    }

    /**
     * How long before expiry the access token is refreshed: {@code skew}, but at most a tenth of the token's lifetime.
     * Without the cap a token living no longer than the skew would be refreshed on every request; with it a session
     * under steady traffic refreshes about once per token lifetime, however short the server makes them.
     */
    public Duration refreshMargin(Duration skew) {
        Duration cap = accessLifetime().dividedBy(MARGIN_SHARE);
        return skew.compareTo(cap) <= 0 ? skew : cap;
    }

    @Override
    public String toString() {
        return "SessionTokens[accessExpiresAt=" + accessExpiresAt + ", refreshable=" + refreshToken.isPresent() + "]";
    }
}
