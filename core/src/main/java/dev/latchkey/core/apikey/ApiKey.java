package dev.latchkey.core.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One API key as stored and listed (never its secret). {@code id} is internal (and the {@code sid} of the
 * tokens its exchange mints, so a revocation of the key reaches them through the revocation feed);
 * {@code publicId} is the id inside the key's text, safe to log and show. {@code permissions} null means
 * "the owner's current permissions in {@code orgId}"; a list means at most those (intersected with the
 * owner's current ones at every exchange). {@code orgId} null: the key's tokens carry no organization.
 */
public record ApiKey(UUID id, String publicId, String env, ApiKeyOwner owner, String name, List<String> scopes, List<String> permissions,
                     UUID orgId, Instant expiresAt, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicId, "publicId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        permissions = permissions == null ? null : List.copyOf(permissions);
    }

    /** Not revoked and not expired at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** {@code active}, {@code expired} or {@code revoked}, as listed. */
    public String state(Instant now) {
        return revokedAt != null ? "revoked" : expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "active";
    }
}
