package dev.latchkey.core.org;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** An organization users belong to, with roles in it. */
public record Organization(UUID id, String name, Instant createdAt) {
    public Organization {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
