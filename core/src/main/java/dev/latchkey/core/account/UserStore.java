package dev.latchkey.core.account;

import dev.latchkey.core.credential.PasswordStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for accounts. Operations that change a user's security state (password change,
 * disable, delete) bump the security version and revoke every session and refresh-token family of
 * the user in the same transaction: there is no moment in which the old credentials still work.
 */
public interface UserStore extends PasswordStore {
    /** Inserts a new user; returns false when the e-mail address is taken. */
    boolean create(User user);

    Optional<User> findByEmail(EmailAddress email);

    Optional<User> findById(UUID id);

    /** Enables or disables; disabling bumps the security version and revokes all sessions. */
    Optional<Integer> setStatus(UUID id, UserStatus status, Instant now);

    /** Deletes the user with its sessions, families and credentials. */
    boolean delete(UUID id, Instant now);

    /**
     * Sets the display name (null: none). Not a security event; the store announces the change so
     * every node's cached profile of the user is dropped. False when there is no such user.
     */
    boolean updateName(UUID id, String name, Instant now);

    /**
     * Marks the address verified if it is still {@code email} (a verification mailed to an address the
     * user has since changed does not verify the new one); announced like {@link #updateName}.
     */
    boolean markEmailVerified(UUID id, EmailAddress email, Instant now);

    /**
     * Replaces the address (already proven by a mailed confirmation, so verified) when the user's security
     * version is still {@code expectedVersion}: bumps the version and revokes every session in the same
     * transaction.
     */
    EmailChange changeEmail(UUID id, EmailAddress newEmail, int expectedVersion, Instant now);

    /** The outcome of {@link #changeEmail}. */
    enum EmailChange { CHANGED, TAKEN, STALE }

    List<User> list(int offset, int limit);

    long count();
}
