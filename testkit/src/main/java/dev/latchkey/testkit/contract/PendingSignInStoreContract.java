package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.authn.CompletedStep;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.PendingSignIn;
import dev.latchkey.core.authn.PendingSignInStore;
import dev.latchkey.core.authn.PendingSignInStore.Stored;
import dev.latchkey.core.crypto.Digests;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link PendingSignInStore} must do; each adapter's test extends this. */
public abstract class PendingSignInStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected abstract UserStore users();

    protected abstract PendingSignInStore store();

    private Stored save(User u, String id, String binding) {
        PendingSignIn p = new PendingSignIn(u.id(), List.of(new CompletedStep(Factor.PASSWORD, NOW)), NOW);
        Stored s = new Stored(Digests.sha256(id), Digests.sha256(binding), p, Set.of(Factor.TOTP, Factor.RECOVERY_CODE), false,
                NOW.plus(Duration.ofMinutes(5)));
        store().save(s);
        return s;
    }

    @Test
    void aChallengeIsConsumedOnceAndKeepsTheSignInSoFar() {
        User u = Users.create(users(), NOW);
        save(u, "c1", "b1");
        assertThat(store().peek(Digests.sha256("c1"), Digests.sha256("b1"), NOW)).isPresent();
        Stored got = store().consume(Digests.sha256("c1"), Digests.sha256("b1"), NOW.plusSeconds(1)).orElseThrow();
        assertThat(got.pending().userId()).isEqualTo(u.id());
        assertThat(got.pending().steps()).containsExactly(new CompletedStep(Factor.PASSWORD, NOW));
        assertThat(got.pending().startedAt()).isEqualTo(NOW);
        assertThat(got.factors()).containsExactlyInAnyOrder(Factor.TOTP, Factor.RECOVERY_CODE);
        assertThat(got.enrolment()).isFalse();
        assertThat(store().consume(Digests.sha256("c1"), Digests.sha256("b1"), NOW.plusSeconds(1))).isEmpty();
    }

    @Test
    void anotherBrowsersBindingOrAnExpiredChallengeGetsNothingAndSpendsNothing() {
        User u = Users.create(users(), NOW);
        save(u, "c2", "b2");
        assertThat(store().consume(Digests.sha256("c2"), Digests.sha256("other"), NOW)).isEmpty();
        assertThat(store().peek(Digests.sha256("c2"), Digests.sha256("other"), NOW)).isEmpty();
        assertThat(store().consume(Digests.sha256("c2"), Digests.sha256("b2"), NOW.plus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(store().consume(Digests.sha256("c2"), Digests.sha256("b2"), NOW.plus(Duration.ofMinutes(4)))).isPresent();
        save(u, "c3", "b3");
        assertThat(store().purgeExpired(NOW.plus(Duration.ofMinutes(6)))).isEqualTo(1);
        assertThat(store().peek(Digests.sha256("c3"), Digests.sha256("b3"), NOW)).isEmpty();
    }

    @Test
    void twentyConcurrentConsumesGetTheChallengeOnce() throws Exception {
        User u = Users.create(users(), NOW);
        save(u, "c4", "b4");
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Stored>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store().consume(Digests.sha256("c4"), Digests.sha256("b4"), NOW);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Optional<Stored>> f : results) {
                won += f.get().isPresent() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
