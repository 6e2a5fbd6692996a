package dev.latchkey.core.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A chain of refresh tokens that descend from one sign-in. Only the current token's hash is stored,
 * with the generation counter and the instants of the recent rotations ({@link RotationHistory});
 * older tokens are recognised by deriving their successors forward ({@link RefreshTokens.Lineage}).
 */
public record RefreshFamily(
        UUID id,
        UUID sessionId,
        UUID userId,
        String clientId,
        String scope,
        UUID orgId,
        List<String> roles,
        int userVersion,
        Instant createdAt,
        Instant idleExpiresAt,
        Instant expiresAt) {

    public RefreshFamily {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }
}
