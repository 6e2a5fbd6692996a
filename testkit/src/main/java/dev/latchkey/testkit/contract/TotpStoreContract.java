package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.credential.totp.TotpCredential;
import dev.latchkey.core.credential.totp.TotpStore;
import dev.latchkey.core.id.UuidV7;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link TotpStore} must do; each adapter's test extends this. */
public abstract class TotpStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    protected abstract TotpStore store();

    private TotpCredential pending(User u) {
        TotpCredential c = new TotpCredential(UuidV7.next(), u.id(), new byte[] {1, 2, 3}, NOW, null, -1);
        store().putPending(c);
        return c;
    }

    @Test
    void aPendingSecretIsConfirmedOnceAndThenIsTheUsersOnly() {
        User u = Users.create(users(), NOW);
        TotpCredential first = pending(u);
        TotpCredential second = pending(u);
        assertThat(store().find(u.id(), false)).get().extracting(TotpCredential::id).isEqualTo(second.id());
        assertThat(store().confirm(first.id(), 100, NOW)).as("the replaced pending one is gone").isFalse();
        assertThat(store().confirm(second.id(), 100, NOW)).isTrue();
        assertThat(store().confirm(second.id(), 101, NOW)).as("already confirmed").isFalse();
        TotpCredential c = store().find(u.id(), true).orElseThrow();
        assertThat(c.lastStep()).isEqualTo(100);
        assertThat(c.confirmedAt()).isEqualTo(NOW);
        assertThat(c.sealedSecret()).containsExactly(1, 2, 3);
        assertThat(store().find(u.id(), false)).isEmpty();
        // a new pending one cannot be confirmed while a confirmed one exists
        TotpCredential third = pending(u);
        assertThat(store().confirm(third.id(), 200, NOW)).isFalse();
    }

    @Test
    void aStepIsSpentOnceAndNeverAnOlderOne() {
        User u = Users.create(users(), NOW);
        TotpCredential c = pending(u);
        store().confirm(c.id(), 10, NOW);
        assertThat(store().useStep(c.id(), 10)).as("the confirming code's step").isFalse();
        assertThat(store().useStep(c.id(), 11)).isTrue();
        assertThat(store().useStep(c.id(), 11)).isFalse();
        assertThat(store().useStep(c.id(), 9)).isFalse();
        assertThat(store().useStep(c.id(), 12)).isTrue();
        TotpCredential p = pending(Users.create(users(), NOW));
        assertThat(store().useStep(p.id(), 1)).as("pending secrets verify nothing").isFalse();
    }

    @Test
    void concurrentUsesOfOneStepSucceedOnce() throws Exception {
        User u = Users.create(users(), NOW);
        TotpCredential c = pending(u);
        store().confirm(c.id(), 1, NOW);
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store().useStep(c.id(), 2);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removeDeletesBothAndSaysWhetherOneWasConfirmed() {
        User u = Users.create(users(), NOW);
        TotpCredential c = pending(u);
        assertThat(store().remove(u.id())).as("only a pending one").isFalse();
        assertThat(store().find(u.id(), false)).isEmpty();
        c = pending(u);
        store().confirm(c.id(), 5, NOW);
        pending(u);
        assertThat(store().remove(u.id())).isTrue();
        assertThat(store().find(u.id(), true)).isEmpty();
        assertThat(store().find(u.id(), false)).isEmpty();
    }
}
