package dev.latchkey.core.credential;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for password credentials (the hash is read with the account). Setting a password is a
 * security event: the store bumps the user's security version and revokes every session and
 * refresh-token family of the user in the same transaction.
 */
public interface PasswordStore {
    /**
     * Replaces the password hash when it is still {@code expectedHash} (re-hash on login after a
     * parameter change or import). Not a security event: sessions stay.
     */
    boolean rehashPassword(UUID id, String expectedHash, String newHash, Instant now);

    /** Sets a new password hash, bumps the security version, revokes all sessions; the new version, or empty if no such user. */
    Optional<Integer> changePassword(UUID id, String newHash, Instant now);
}
