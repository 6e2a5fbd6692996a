package dev.latchkey.core.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for sessions. "Active" always means: not revoked, neither idle nor absolute expiry
 * passed, the user exists and is enabled, and the user's security version is still the one the
 * session was created under — checked in the same query, never by the caller.
 */
public interface SessionStore {
    /** Stores a new session; {@code cookieHash} is the SHA-256 of the browser cookie, or null. */
    void create(Session session, byte[] cookieHash);

    Optional<Session> findActiveByCookie(byte[] cookieHash, Instant now);

    Optional<Session> findActive(UUID id, Instant now);

    /** Records activity: moves the idle expiry forward. */
    void touch(UUID id, Instant now, Instant idleExpiresAt);

    List<Session> listActive(UUID userId, Instant now);

    /** Revokes one session of the user (and its refresh-token families); false when none was active. */
    boolean revoke(UUID userId, UUID sessionId, String reason, Instant now);

    /** Revokes all of the user's sessions except {@code keep} (null: all); returns how many. */
    int revokeAll(UUID userId, UUID keep, String reason, Instant now);
}
