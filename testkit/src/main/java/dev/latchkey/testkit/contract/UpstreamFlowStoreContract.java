package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.identity.UpstreamFlow;
import dev.latchkey.core.identity.UpstreamFlowStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link UpstreamFlowStore} must do: browser-bound, single use, atomic. */
public abstract class UpstreamFlowStoreContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    protected abstract UpstreamFlowStore flows();

    private static UpstreamFlow flow(String binding) {
        return new UpstreamFlow(RandomTokens.token(), binding, "corp", RandomTokens.token(), RandomTokens.token(),
                UpstreamFlow.Purpose.SIGN_IN, null, "/account", NOW, NOW.plusSeconds(600));
    }

    @Test
    void aFlowIsTakenOnceWithEverythingItCarried() {
        User u = Users.create(users(), NOW);
        UpstreamFlow f = new UpstreamFlow(RandomTokens.token(), RandomTokens.token(), "corp", RandomTokens.token(), RandomTokens.token(),
                UpstreamFlow.Purpose.LINK, u.id(), "/account?x=1", NOW, NOW.plusSeconds(600));
        flows().save(f);
        assertThat(flows().consume(f.state(), f.binding())).contains(f);
        assertThat(flows().consume(f.state(), f.binding())).isEmpty();
    }

    @Test
    void anotherBrowserCannotTakeOrSpendTheFlow() {
        UpstreamFlow f = flow(RandomTokens.token());
        flows().save(f);
        assertThat(flows().consume(f.state(), RandomTokens.token())).isEmpty();
        assertThat(flows().consume(RandomTokens.token(), f.binding())).isEmpty();
        assertThat(flows().consume(f.state(), f.binding())).contains(f);
    }

    @Test
    void anExpiredFlowIsStillTakenOnceSoTheCallerCanSaySo() {
        UpstreamFlow f = new UpstreamFlow(RandomTokens.token(), RandomTokens.token(), "corp", "n", "v", UpstreamFlow.Purpose.SIGN_IN, null,
                "/", NOW.minusSeconds(1200), NOW.minusSeconds(600));
        flows().save(f);
        assertThat(flows().consume(f.state(), f.binding())).contains(f);
        UpstreamFlow g = new UpstreamFlow(RandomTokens.token(), RandomTokens.token(), "corp", "n", "v", UpstreamFlow.Purpose.SIGN_IN, null,
                "/", NOW.minusSeconds(1200), NOW.minusSeconds(600));
        flows().save(g);
        assertThat(flows().purgeExpired(NOW)).isGreaterThanOrEqualTo(1);
        assertThat(flows().consume(g.state(), g.binding())).isEmpty();
    }

    @Test
    void ofConcurrentCallbacksWithOneStateExactlyOneWins() throws Exception {
        UpstreamFlow f = flow(RandomTokens.token());
        flows().save(f);
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return flows().consume(f.state(), f.binding()).isPresent();
                }));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> r : results) {
                wins += r.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
