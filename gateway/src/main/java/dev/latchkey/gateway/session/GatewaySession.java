package dev.latchkey.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed-in browser at the gateway. {@code idHash} is the keyed hash of the cookie value (the cookie value itself
 * is never kept); {@code generation} counts token refreshes and makes each one a conditional update.
 */
public record GatewaySession(byte[] idHash, UserClaims user, SessionTokens tokens, long generation, Instant createdAt,
                             Instant lastSeenAt, Instant expiresAt) {
    public GatewaySession {
        Objects.requireNonNull(idHash, "idHash");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Ended by the absolute or the idle timeout at {@code now}. */
    public boolean expired(Instant now, Duration idle) {
        return !now.isBefore(expiresAt) || !now.isBefore(lastSeenAt.plus(idle));
    }

    /**
     * The access token expires within its refresh margin of {@code now}: {@code skew}, capped at a tenth of the token's
     * lifetime ({@link SessionTokens#refreshMargin}).
     */
    public boolean needsRefresh(Instant now, Duration skew) {
        return !now.plus(tokens.refreshMargin(skew)).isBefore(tokens.accessExpiresAt());
    }

    /** A short, non-secret tag for logs (a prefix of the id hash). */
    public String logTag() {
        return HexFormat.of().formatHex(idHash, 0, 4);
    }

    @Override
    public String toString() {
        return "GatewaySession[" + logTag() + ", sub=" + user.sub() + ", generation=" + generation + "]";
    }
}
