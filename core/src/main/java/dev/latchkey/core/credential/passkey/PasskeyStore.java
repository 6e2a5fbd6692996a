package dev.latchkey.core.credential.passkey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for registered passkeys. A credential id is unique across all users. Recording a use
 * is one conditional statement on the counter, so two concurrent assertions carrying the same counter
 * (a replay, or two copies of one key) cannot both pass.
 */
public interface PasskeyStore {
    /** Stores a new passkey; false when the credential id is already registered (to anyone). */
    boolean create(PasskeyCredential credential);

    /** The user's passkeys, oldest first. */
    List<PasskeyCredential> forUser(UUID userId);

    Optional<PasskeyCredential> findByCredentialId(byte[] credentialId);

    /** Whether the user has at least one passkey. */
    boolean any(UUID userId);

    /**
     * After a verified assertion: stores {@code signCount}, the backup state and the time of use, but
     * only if the counter still proves freshness, i.e. the stored counter is below {@code signCount},
     * or both are zero (an authenticator without a counter, WebAuthn §6.1.1). False when it does not
     * (the caller refuses the assertion as a possible clone).
     */
    boolean recordUse(UUID id, long signCount, boolean backupState, boolean uvInitialized, Instant now);

    /** Renames one of the user's passkeys; false when the user has no such passkey. */
    boolean rename(UUID userId, UUID id, String name);

    /** Removes one of the user's passkeys; false when the user has no such passkey. */
    boolean delete(UUID userId, UUID id);
}
