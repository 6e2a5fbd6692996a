package dev.latchkey.core.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery round: claim due mails, hand each to the transport, record the result. Failed
 * attempts are retried with exponential back-off (30 s doubling to 1 h) for {@link #MAX_ATTEMPTS}
 * attempts (about a day); a permanent failure gives up at once. Rounds run on a background thread:
 * sending never blocks a request.
 */
public final class OutboxDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);
    public static final int MAX_ATTEMPTS = 30;
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofHours(1);

    private final MailOutbox outbox;
    private final MailTransport transport;
    private final Clock clock;
    private final Duration lease;
    private final int batch;

    public OutboxDelivery(MailOutbox outbox, MailTransport transport, Clock clock, Duration lease, int batch) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = Objects.requireNonNull(lease, "lease");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be positive");
        }
        this.batch = batch;
    }

    /** Delivers what is due (up to one batch); returns how many mails it claimed (sent or not). */
    public int runOnce() {
        List<MailOutbox.Claimed> claimed = outbox.claim(batch, clock.instant(), lease);
        for (MailOutbox.Claimed c : claimed) {
            try {
                transport.send(c.mail());
                if (!outbox.markSent(c.mail().id(), c.claim(), clock.instant())) {
                    LOG.warn("mail {} was sent after its lease expired; another node may send it too", c.mail().id());
                }
            } catch (MailTransport.MailTransportException e) {
                int attempts = c.attempts() + 1;
                boolean giveUp = e.permanent() || attempts >= MAX_ATTEMPTS;
                Instant retryAt = clock.instant().plus(backoff(attempts));
                outbox.markFailed(c.mail().id(), c.claim(), retryAt, e.getMessage(), giveUp);
                if (giveUp) {
                    LOG.error("mail {} given up after {} attempts: {}", c.mail().id(), attempts, e.getMessage());
                } else {
                    LOG.warn("mail {} not delivered (attempt {}): {}; retrying at {}", c.mail().id(), attempts, e.getMessage(), retryAt);
                }
            }
        }
        return claimed.size();
    }

    /** The wait after the {@code attempts}-th failure: 30 s, 1 min, 2 min, … capped at 1 h. */
    static Duration backoff(int attempts) {
        Duration d = FIRST_RETRY;
        for (int i = 1; i < attempts && d.compareTo(MAX_RETRY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
