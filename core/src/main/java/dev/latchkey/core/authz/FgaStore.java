package dev.latchkey.core.authz;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A store: a namespace of models and tuples (OpenFGA's store). One per deployment, or one per organization
 * ({@code orgId}): the seam for org-scoped credentials, which may then reach only their organization's stores.
 */
public record FgaStore(String id, String name, Optional<UUID> orgId, Instant createdAt, Instant updatedAt) {
    public FgaStore {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
