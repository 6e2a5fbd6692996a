package dev.latchkey.gateway.session;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The tokens a gateway session holds for its user; only ever stored sealed. */
public record SessionTokens(String accessToken, Instant accessExpiresAt, Optional<String> refreshToken, String idToken) {
    public SessionTokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(idToken, "idToken");
    }

    @Override
    public String toString() {
        return "SessionTokens[accessExpiresAt=" + accessExpiresAt + ", refreshable=" + refreshToken.isPresent() + "]";
    }
}
