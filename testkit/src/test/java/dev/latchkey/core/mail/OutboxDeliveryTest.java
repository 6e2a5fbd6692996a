package dev.latchkey.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.id.UuidV7;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.memory.MemoryMailOutbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxDeliveryTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    final MemoryMailOutbox outbox = new MemoryMailOutbox();

    /** Fails the first {@code failures} sends, then delivers. */
    static final class FlakyTransport implements MailTransport {
        int failures;
        boolean permanent;
        final List<OutgoingMail> delivered = new ArrayList<>();

        @Override
        public void send(OutgoingMail mail) throws MailTransportException {
            if (failures > 0) {
                failures--;
                throw new MailTransportException("421 service not available", permanent, null);
            }
            delivered.add(mail);
        }
    }

    private OutgoingMail enqueue() {
        OutgoingMail m = new OutgoingMail(UuidV7.next(), "a@example.test", "Hi", "text", null, clock.instant());
        outbox.enqueue(m);
        return m;
    }

    @Test
    void aMailSurvivesFailuresAndIsRetriedWithBackOffThenSentOnce() {
        FlakyTransport t = new FlakyTransport();
        t.failures = 2;
        OutboxDelivery d = new OutboxDelivery(outbox, t, clock, Duration.ofMinutes(2), 10);
        OutgoingMail m = enqueue();
        assertThat(d.runOnce()).isEqualTo(1);
        assertThat(outbox.lastError(m.id())).contains("421");
        clock.advance(Duration.ofSeconds(29));
        assertThat(d.runOnce()).as("not due before its back-off").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(d.runOnce()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(59));
        assertThat(d.runOnce()).isZero();
        clock.advance(Duration.ofSeconds(1));
        d.runOnce();
        assertThat(t.delivered).containsExactly(m);
        assertThat(outbox.pending()).isZero();
        clock.advance(Duration.ofHours(5));
        d.runOnce();
        assertThat(t.delivered).hasSize(1);
    }

    @Test
    void aPermanentFailureGivesUpAtOnce() {
        FlakyTransport t = new FlakyTransport();
        t.failures = 1;
        t.permanent = true;
        OutboxDelivery d = new OutboxDelivery(outbox, t, clock, Duration.ofMinutes(2), 10);
        enqueue();
        d.runOnce();
        clock.advance(Duration.ofDays(2));
        assertThat(d.runOnce()).isZero();
        assertThat(t.delivered).isEmpty();
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void backOffDoublesFromThirtySecondsToAnHour() {
        assertThat(OutboxDelivery.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(OutboxDelivery.backoff(2)).isEqualTo(Duration.ofMinutes(1));
        assertThat(OutboxDelivery.backoff(3)).isEqualTo(Duration.ofMinutes(2));
        assertThat(OutboxDelivery.backoff(12)).isEqualTo(Duration.ofHours(1));
        assertThat(OutboxDelivery.backoff(OutboxDelivery.MAX_ATTEMPTS)).isEqualTo(Duration.ofHours(1));
    }
}
