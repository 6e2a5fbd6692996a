package dev.latchkey.core.account;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for accounts. Operations that change a user's security state (password change,
 * disable, delete) bump the security version and revoke every session and refresh-token family of
 * the user in the same transaction: there is no moment in which the old credentials still work.
 */
public interface UserStore {
    /** Inserts a new user; returns false when the e-mail address is taken. */
    boolean create(User user);

    Optional<User> findByEmail(EmailAddress email);

    Optional<User> findById(UUID id);

    /**
     * Replaces the password hash when it is still {@code expectedHash} (re-hash on login after a
     * parameter change or import). Not a security event: sessions stay.
     */
    boolean rehashPassword(UUID id, String expectedHash, String newHash, Instant now);

    /** Sets a new password hash, bumps the security version, revokes all sessions; the new version, or empty if no such user. */
    Optional<Integer> changePassword(UUID id, String newHash, Instant now);

    /** Enables or disables; disabling bumps the security version and revokes all sessions. */
    Optional<Integer> setStatus(UUID id, UserStatus status, Instant now);

    /** Deletes the user with its sessions, families and credentials. */
    boolean delete(UUID id, Instant now);

    List<User> list(int offset, int limit);

    long count();
}
