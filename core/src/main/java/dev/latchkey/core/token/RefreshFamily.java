package dev.latchkey.core.token;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A chain of refresh tokens that descend from one sign-in. Only the current token's hash (and the
 * one it replaced, for the grace window) are stored; the generation counter orders rotations.
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
