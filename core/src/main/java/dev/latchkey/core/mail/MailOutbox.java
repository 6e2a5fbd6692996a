package dev.latchkey.core.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Storage port for the outbox: mails are stored first and delivered later by whichever node claims
 * them. A claim is a lease (one conditional statement that skips rows another node holds), so two
 * nodes never send the same mail while both are alive; a node that dies mid-send leaves a lease that
 * expires, and the mail is sent again (at least once, never lost).
 */
public interface MailOutbox {
    void enqueue(OutgoingMail mail);

    /** Claims up to {@code max} mails due at {@code now} for {@code lease}; each comes with its claim id. */
    List<Claimed> claim(int max, Instant now, Duration lease);

    /** Records a delivery; false when the claim was lost (lease expired and another node took it). */
    boolean markSent(UUID mailId, UUID claim, Instant now);

    /** Records a failed attempt; the mail is due again at {@code retryAt}, or never when {@code giveUp}. */
    void markFailed(UUID mailId, UUID claim, Instant retryAt, String error, boolean giveUp);

    /** Forgets mails sent or given up before {@code before} (their bodies are gone already); returns how many. */
    int purgeDone(Instant before);

    /** How many mails wait for delivery (not sent, not given up). */
    long pending();

    /** A claimed mail. */
    record Claimed(OutgoingMail mail, UUID claim, int attempts) {
    }
}
