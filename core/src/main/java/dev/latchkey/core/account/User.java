package dev.latchkey.core.account;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An account. {@code id} is the unified user id (UUIDv7) every other part of the system agrees on;
 * {@code securityVersion} is bumped whenever something happens that must invalidate existing
 * sessions and tokens (password change, disable, delete, role change).
 */
public record User(
        UUID id,
        EmailAddress email,
        boolean emailVerified,
        String name,
        String passwordHash,
        UserStatus status,
        int securityVersion,
        Instant createdAt,
        Instant updatedAt) {

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean active() {
        return status == UserStatus.ACTIVE;
    }

    public boolean hasPassword() {
        return passwordHash != null;
    }

    @Override
    public String toString() {
        return "User[" + id + "]";
    }
}
