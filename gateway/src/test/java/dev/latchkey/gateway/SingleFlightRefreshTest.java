package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many requests arrive with an expiring access token, on one gateway node or on two nodes sharing one database:
 * exactly one refresh_token grant reaches the server (counted by the server: its token-endpoint request counter and
 * the refresh family's rotation generation), and every request succeeds with the one new token.
 */
class SingleFlightRefreshTest {
    GatewayFixture f;
    String email;
    GatewayFixture.Browser b;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
        email = f.newUser();
        b = f.new Browser();
        assertThat(b.signIn(email, "/").status()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void twentyConcurrentCallsOnOneNodeRefreshOnce() throws Exception {
        String before = token(b.gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5));
        long requests = f.tokenRequests();
        Set<String> tokens = fire(List.of(b.gw.base), 20);
        assertThat(f.tokenRequests() - requests).as("token requests at the server").isEqualTo(1);
        assertThat(f.refreshGenerations(email)).as("refresh family rotations").isEqualTo(1);
        assertThat(tokens).hasSize(1).doesNotContain(before);
    }

    @Test
    void twentyConcurrentCallsOnTwoNodesSharingADatabaseRefreshOnce() throws Exception {
        GatewayServer second = f.node(0, Map.of(), f.clock);
        String cookie = b.session();
        Http viaSecond = new Http(second.baseUrl());
        viaSecond.cookies.put("__Host-lk-session", cookie);
        String before = token(viaSecond.get("/api/notes"));       // node two has read and cached the session too
        assertThat(token(b.gw.get("/api/notes"))).isEqualTo(before);
        f.clock.advance(Duration.ofMinutes(5));
        long requests = f.tokenRequests();
        Set<String> tokens = fire(List.of(b.gw.base, second.baseUrl()), 20);
        assertThat(f.tokenRequests() - requests).as("token requests at the server").isEqualTo(1);
        assertThat(f.refreshGenerations(email)).isEqualTo(1);
        assertThat(tokens).hasSize(1).doesNotContain(before);
    }

    @Test
    void withRedisConfiguredTwoNodesTakeTheRefreshLockInRedisAndRefreshOnce() throws Exception {
        Map<String, String> redis = Map.of("LATCHKEY_GATEWAY_REDIS_URL", dev.latchkey.testkit.TestRedis.requireReachable());
        GatewayServer one = f.node(0, redis, f.clock);
        GatewayServer two = f.node(0, redis, f.clock);
        String before = token(b.gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5));
        long requests = f.tokenRequests();
        Set<String> tokens = fire(List.of(one.baseUrl(), two.baseUrl()), 20);
        assertThat(f.tokenRequests() - requests).as("token requests at the server").isEqualTo(1);
        assertThat(f.refreshGenerations(email)).isEqualTo(1);
        assertThat(tokens).hasSize(1).doesNotContain(before);
    }

    /** {@code n} API calls released together, spread over the nodes; returns the Bearer tokens the upstream saw. */
    private Set<String> fire(List<String> nodes, int n) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                Http h = new Http(nodes.get(i % nodes.size()));
                h.cookies.put("__Host-lk-session", b.session());
                out.add(pool.submit(() -> {
                    go.await();
                    return h.get("/api/notes");
                }));
            }
            go.countDown();
            Set<String> tokens = new HashSet<>();
            for (Future<Http.Response> r : out) {
                Http.Response resp = r.get();
                assertThat(resp.status()).as(resp.body()).isEqualTo(200);
                tokens.add(token(resp));
            }
            return tokens;
        }
    }

    private static String token(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("headers").get("authorization").asText();
    }
}
