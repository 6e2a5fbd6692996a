package dev.latchkey.core.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Storage port for API keys; each transition is one statement (or one transaction), never read-check-write. */
public interface ApiKeyStore {
    /** A key with its stored secret MAC, for the exchange to compare. */
    record Stored(ApiKey key, byte[] secretMac) {
    }

    void insert(ApiKey key, byte[] secretMac);

    Optional<Stored> findByPublicId(String publicId);

    /** The key with this internal id (the {@code sid} of the tokens exchanged for it). */
    Optional<ApiKey> find(UUID id);

    /** The owner's keys, oldest first (revoked and expired ones too). */
    List<ApiKey> list(ApiKeyOwner owner);

    /**
     * Revokes the owner's key {@code id} if it is not revoked yet, and in the same transaction appends a
     * {@code session} revocation for {@code id} (the {@code sid} of the tokens minted from it) to the revocation
     * log; the key as revoked, or empty when the owner has no such unrevoked key.
     */
    Optional<ApiKey> revoke(ApiKeyOwner owner, UUID id, Instant now);

    /** Sets {@code last_used_at} to {@code now} only when it is null or older than {@code before}; whether it wrote. */
    boolean touch(UUID id, Instant now, Instant before);
}
