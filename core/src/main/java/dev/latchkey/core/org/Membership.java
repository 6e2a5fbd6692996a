package dev.latchkey.core.org;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** A user's roles in one organization. */
public record Membership(UUID orgId, UUID userId, List<String> roles, Instant createdAt) {
    public Membership {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(userId, "userId");
        roles = List.copyOf(roles);
    }
}
