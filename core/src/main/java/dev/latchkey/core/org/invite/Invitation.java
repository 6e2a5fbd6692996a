package dev.latchkey.core.org.invite;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** An invitation of an e-mail address into an organization with roles. The token is held only as its hash. */
public record Invitation(UUID id, UUID orgId, String email, List<String> roles, byte[] tokenHash, Status status,
                         Instant createdAt, Instant expiresAt, UUID acceptedBy, Instant acceptedAt) {
    public Invitation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(expiresAt, "expiresAt");
        roles = List.copyOf(roles);
    }

    /** The status a reader sees: a pending invitation past its expiry is expired. */
    public Status statusAt(Instant now) {
        return status == Status.PENDING && !now.isBefore(expiresAt) ? Status.EXPIRED : status;
    }

    public enum Status {
        PENDING, ACCEPTED, REVOKED, EXPIRED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
