package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.OutgoingMail;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MailOutbox} must do. Each test uses instants of its own (far apart), so mails
 * other tests left behind are never due in it.
 */
public abstract class MailOutboxContract {
    protected abstract MailOutbox outbox();

    private static Instant base(int test) {
        return Instant.parse("2000-01-01T00:00:00Z").plus(Duration.ofDays(365L * test)).truncatedTo(ChronoUnit.MICROS);
    }

    private OutgoingMail mail(Instant at, String to) {
        OutgoingMail m = new OutgoingMail(UuidV7.next(), to, "Subject " + to, "text with a link https://x.test/?t=" + UUID.randomUUID(),
                "<p>html</p>", at);
        outbox().enqueue(m);
        return m;
    }

    /** Claims in a window that starts at {@code from}: only this test's mails are due (others are years apart). */
    private List<MailOutbox.Claimed> claim(Instant from, Instant now, int max, Duration lease) {
        return outbox().claim(max, now, lease).stream().filter(c -> !c.mail().createdAt().isBefore(from)).toList();
    }

    @Test
    void aClaimedMailComesBackWhole() {
        Instant t = base(1);
        OutgoingMail m = mail(t, "a@example.test");
        List<MailOutbox.Claimed> c = claim(t, t.plusSeconds(1), 10, Duration.ofMinutes(1));
        assertThat(c).hasSize(1);
        assertThat(c.get(0).mail()).isEqualTo(m);
        assertThat(c.get(0).attempts()).isZero();
        assertThat(outbox().markSent(m.id(), c.get(0).claim(), t.plusSeconds(2))).isTrue();
        assertThat(claim(t, t.plus(Duration.ofDays(2)), 10, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void aLeaseKeepsOthersOffUntilItExpiresAndALostClaimCannotMarkSent() {
        Instant t = base(2);
        OutgoingMail m = mail(t, "b@example.test");
        MailOutbox.Claimed first = claim(t, t, 10, Duration.ofMinutes(2)).get(0);
        assertThat(claim(t, t.plusSeconds(60), 10, Duration.ofMinutes(2))).isEmpty();
        // the first claimer died; after the lease another takes it
        MailOutbox.Claimed second = claim(t, t.plus(Duration.ofMinutes(3)), 10, Duration.ofMinutes(2)).get(0);
        assertThat(second.mail().id()).isEqualTo(m.id());
        assertThat(outbox().markSent(m.id(), first.claim(), t.plus(Duration.ofMinutes(3)))).isFalse();
        assertThat(outbox().markSent(m.id(), second.claim(), t.plus(Duration.ofMinutes(3)))).isTrue();
    }

    @Test
    void aFailedMailIsDueAgainAtItsRetryTimeAndAGivenUpOneNever() {
        Instant t = base(3);
        OutgoingMail m = mail(t, "c@example.test");
        OutgoingMail n = mail(t, "d@example.test");
        for (MailOutbox.Claimed c : claim(t, t, 10, Duration.ofMinutes(1))) {
            outbox().markFailed(c.mail().id(), c.claim(), t.plusSeconds(30), "421 try later", c.mail().id().equals(n.id()));
        }
        assertThat(claim(t, t.plusSeconds(29), 10, Duration.ofMinutes(1))).isEmpty();
        List<MailOutbox.Claimed> again = claim(t, t.plusSeconds(30), 10, Duration.ofMinutes(1));
        assertThat(again).extracting(c -> c.mail().id()).containsExactly(m.id());
        assertThat(again.get(0).attempts()).isEqualTo(1);
    }

    @Test
    void sentMailsArePurgedAfterwardsAndPendingOnesNever() {
        Instant t = base(5);
        OutgoingMail sent = mail(t, "e@example.test");
        OutgoingMail waiting = mail(t.plus(Duration.ofDays(3)), "f@example.test");
        MailOutbox.Claimed c = claim(t, t, 10, Duration.ofMinutes(1)).get(0);
        assertThat(c.mail().id()).isEqualTo(sent.id());
        outbox().markSent(sent.id(), c.claim(), t);
        assertThat(outbox().purgeDone(t.plus(Duration.ofDays(1)))).as("this test's sent mail, and older ones of other tests").isPositive();
        assertThat(claim(t, t.plus(Duration.ofDays(4)), 10, Duration.ofMinutes(1))).extracting(x -> x.mail().id()).containsExactly(waiting.id());
    }

    @Test
    void concurrentClaimersTakeEachMailExactlyOnce() throws Exception {
        Instant t = base(4);
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            ids.add(mail(t, "m" + i + "@example.test").id());
        }
        List<UUID> taken = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                fs.add(pool.submit(() -> {
                    while (true) {
                        List<MailOutbox.Claimed> c = claim(t, t.plusSeconds(1), 3, Duration.ofMinutes(5));
                        if (c.isEmpty()) {
                            return null;
                        }
                        for (MailOutbox.Claimed x : c) {
                            taken.add(x.mail().id());
                            outbox().markSent(x.mail().id(), x.claim(), t.plusSeconds(1));
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertThat(taken).hasSize(40).doesNotHaveDuplicates();
        assertThat(new HashSet<>(taken)).isEqualTo(ids);
    }
}
