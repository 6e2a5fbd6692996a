package dev.latchkey.core.token;

import java.time.Instant;

/** A signed access token and when it expires. */
public record IssuedAccessToken(String value, String jti, Instant issuedAt, Instant expiresAt) {
    public long expiresInSeconds() {
        return expiresAt.getEpochSecond() - issuedAt.getEpochSecond();
    }

    @Override
    public String toString() {
        return "AccessToken[jti=" + jti + "]";
    }
}
