package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.credential.recovery.RecoveryCodeStore;
import dev.latchkey.core.crypto.Digests;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link RecoveryCodeStore} must do; each adapter's test extends this. */
public abstract class RecoveryCodeStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    protected abstract RecoveryCodeStore store();

    private static List<byte[]> hashes(String prefix) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(Digests.sha256(prefix + i));
        }
        return out;
    }

    @Test
    void aCodeIsSpentOnceAndOnlyForItsUser() {
        User u = Users.create(users(), NOW);
        User other = Users.create(users(), NOW);
        store().replace(u.id(), hashes("a"), NOW);
        assertThat(store().remaining(u.id())).isEqualTo(10);
        assertThat(store().redeem(other.id(), Digests.sha256("a3"), NOW)).isFalse();
        assertThat(store().redeem(u.id(), Digests.sha256("a3"), NOW)).isTrue();
        assertThat(store().redeem(u.id(), Digests.sha256("a3"), NOW)).isFalse();
        assertThat(store().redeem(u.id(), Digests.sha256("nope"), NOW)).isFalse();
        assertThat(store().remaining(u.id())).isEqualTo(9);
    }

    @Test
    void replacingKillsEveryOldCode() {
        User u = Users.create(users(), NOW);
        store().replace(u.id(), hashes("a"), NOW);
        store().redeem(u.id(), Digests.sha256("a0"), NOW);
        store().replace(u.id(), hashes("b"), NOW);
        assertThat(store().remaining(u.id())).isEqualTo(10);
        assertThat(store().redeem(u.id(), Digests.sha256("a1"), NOW)).isFalse();
        assertThat(store().redeem(u.id(), Digests.sha256("b1"), NOW)).isTrue();
        store().removeAll(u.id());
        assertThat(store().remaining(u.id())).isZero();
        assertThat(store().redeem(u.id(), Digests.sha256("b2"), NOW)).isFalse();
    }

    @Test
    void twentyConcurrentRedemptionsOfOneCodeSucceedOnce() throws Exception {
        User u = Users.create(users(), NOW);
        store().replace(u.id(), hashes("c"), NOW);
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store().redeem(u.id(), Digests.sha256("c7"), NOW);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            assertThat(store().remaining(u.id())).isEqualTo(9);
        } finally {
            pool.shutdownNow();
        }
    }
}
