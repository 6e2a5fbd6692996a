package dev.latchkey.core.credential.totp;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for authenticator-app secrets: at most one confirmed and one pending per user. The
 * transitions that spend a code are each one conditional statement on {@code last_step}.
 */
public interface TotpStore {
    /** Stores a new pending credential, replacing the user's previous pending one. */
    void putPending(TotpCredential pending);

    /** The user's confirmed credential, or the pending one when {@code confirmed} is false. */
    Optional<TotpCredential> find(UUID userId, boolean confirmed);

    /**
     * Confirms a pending credential with a code of {@code step}: true only when it is still pending,
     * the user has no confirmed one, and the step is newer than any used ({@code last_step < step}).
     */
    boolean confirm(UUID id, long step, Instant now);

    /** Spends {@code step} on a confirmed credential: {@code UPDATE … SET last_step = ? WHERE id = ? AND last_step < ?}. */
    boolean useStep(UUID id, long step);

    /** Removes the user's credentials (confirmed and pending); whether a confirmed one was there. */
    boolean remove(UUID userId);
}
