package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.gateway.session.GatewaySession;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.gateway.session.SessionStore;
import dev.latchkey.gateway.session.SessionTokens;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Why overlapping refreshes are harmless for the gateway's own state: tokens are stored by one update conditional on
 * the generation the writer read, so of concurrent writers of one generation (two nodes whose leases overlapped)
 * exactly one wins, and a late writer — a node that stalled past its lease, stored nothing and wakes up — never takes
 * a session back a generation. Against PostgreSQL, through the stores of two nodes on one database.
 */
class LateTokenWriteTest {
    @Test
    void ofConcurrentWritersOfOneGenerationOneWinsAndALateWriterNeverGoesBack() throws Exception {
        try (GatewayFixture f = new GatewayFixture(Map.of(), Map.of())) {
            GatewayServer other = f.node(0, Map.of(), f.clock);
            GatewayFixture.Browser b = f.new Browser();
            assertThat(b.signIn(f.newUser(), "/").status()).isEqualTo(303);
            byte[] idHash = new SessionIds(f.sessionKey).hash(b.session());
            List<SessionStore> stores = List.of(f.gateway.sessions(), other.sessions());
            GatewaySession g0 = stores.get(0).findFresh(idHash).orElseThrow();

            // 16 writers of generation 0 at once, spread over two nodes: exactly one stores its tokens
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<GatewaySession>>> writes = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 16; i++) {
                    SessionStore store = stores.get(i % 2);
                    SessionTokens t = tokens(g0, "writer-" + i);
                    writes.add(pool.submit(() -> {
                        go.await();
                        return store.replaceTokens(g0, g0.user(), t);
                    }));
                }
                go.countDown();
                List<GatewaySession> won = new ArrayList<>();
                for (Future<Optional<GatewaySession>> w : writes) {
                    w.get().ifPresent(won::add);
                }
                assertThat(won).as("writers that stored").hasSize(1);
                GatewaySession g1 = stores.get(1).findFresh(idHash).orElseThrow();
                assertThat(g1.generation()).isEqualTo(1);
                assertThat(g1.tokens().accessToken()).isEqualTo(won.get(0).tokens().accessToken());

                // a late writer of generation 0 changes nothing
                assertThat(stores.get(0).replaceTokens(g0, g0.user(), tokens(g0, "late"))).isEmpty();
                assertThat(stores.get(1).findFresh(idHash).orElseThrow().tokens().accessToken()).isEqualTo(g1.tokens().accessToken());

                // the session moves on; writers of generations 0 and 1 are late now, and change nothing
                GatewaySession g2 = stores.get(1).replaceTokens(g1, g1.user(), tokens(g1, "second")).orElseThrow();
                assertThat(g2.generation()).isEqualTo(2);
                assertThat(stores.get(0).replaceTokens(g1, g1.user(), tokens(g1, "late-1"))).isEmpty();
                assertThat(stores.get(0).replaceTokens(g0, g0.user(), tokens(g0, "late-0"))).isEmpty();
                GatewaySession now = stores.get(0).findFresh(idHash).orElseThrow();
                assertThat(now.generation()).isEqualTo(2);
                assertThat(now.tokens().accessToken()).isEqualTo("second");
            }
        }
    }

    private static SessionTokens tokens(GatewaySession s, String access) {
        Instant now = Instant.now();
        return new SessionTokens(access, now, now.plusSeconds(300), s.tokens().refreshToken(), s.tokens().idToken());
    }
}
