package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.server.Http;
import dev.latchkey.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
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
 * The cross-node refresh lock holds no database connection while a refresh waits for the server: four times as many
 * distinct sessions as the pool has connections refresh at once, on one node and on two nodes sharing one database
 * (with the lease in PostgreSQL, and in Redis), and every request succeeds with exactly one refresh per session
 * (counted by the server: token-endpoint requests and each user's refresh-family rotations). A lease left by a node
 * that died ends by itself.
 */
class RefreshLeaseTest {
    static final int POOL = 2;
    static final int SESSIONS = 4 * POOL;
    static final int REQUESTS_PER_SESSION = 3;
    static final Map<String, String> SMALL_POOL = Map.of("LATCHKEY_GATEWAY_DATABASE_POOL_SIZE", Integer.toString(POOL));

    GatewayFixture f;
    final List<String> emails = new ArrayList<>();
    final List<GatewayFixture.Browser> browsers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(Map.of(), SMALL_POOL);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** {@code n} users, each signed in once through {@code node}. */
    private void signIn(int n, String node) {
        for (int i = 0; i < n; i++) {
            String email = f.newUser();
            GatewayFixture.Browser b = f.new Browser(node);
            assertThat(b.signIn(email, "/").status()).isEqualTo(303);
            emails.add(email);
            browsers.add(b);
        }
    }

    @Test
    void fourTimesThePoolSizeOfSessionsRefreshAtOnceOnOneNode() throws Exception {
        signIn(SESSIONS, f.gateway.baseUrl());
        refreshAllAtOnce(List.of(f.gateway.baseUrl()));
    }

    @Test
    void fourTimesThePoolSizeOfSessionsRefreshAtOnceOnTwoNodesSharingADatabase() throws Exception {
        GatewayServer second = f.node(0, SMALL_POOL, f.clock);
        signIn(SESSIONS, f.gateway.baseUrl());
        refreshAllAtOnce(List.of(f.gateway.baseUrl(), second.baseUrl()));
    }

    @Test
    void fourTimesThePoolSizeOfSessionsRefreshAtOnceOnTwoNodesWithTheLeaseInRedis() throws Exception {
        Map<String, String> redis = new HashMap<>(SMALL_POOL);
        redis.put("LATCHKEY_GATEWAY_REDIS_URL", TestRedis.requireReachable());
        GatewayServer one = f.node(0, redis, f.clock);
        GatewayServer two = f.node(0, redis, f.clock);
        signIn(SESSIONS, one.baseUrl());
        refreshAllAtOnce(List.of(one.baseUrl(), two.baseUrl()));
    }

    @Test
    void aLeaseLeftInPostgresByANodeThatDiedEndsByItself() throws Exception {
        signIn(1, f.gateway.baseUrl());
        byte[] idHash = new SessionIds(f.sessionKey).hash(browsers.get(0).session());
        try (Connection c = java.sql.DriverManager.getConnection(f.gatewayDb.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("INSERT INTO gateway_refresh_leases (id_hash, holder, expires_at)"
                     + " VALUES (?, 'a-node-that-died', clock_timestamp() + interval '1 second')")) {
            ps.setBytes(1, idHash);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        String before = bearer(browsers.get(0).gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5));
        long requests = f.tokenRequests();
        String after = bearer(browsers.get(0).gw.get("/api/notes"));    // waits for the dead node's lease to expire
        assertThat(after).isNotEqualTo(before);
        assertThat(f.tokenRequests() - requests).isEqualTo(1);
        assertThat(f.refreshGenerations(emails.get(0))).isEqualTo(1);
        try (Connection c = java.sql.DriverManager.getConnection(f.gatewayDb.jdbcUrl());
             var rs = c.createStatement().executeQuery("SELECT count(*) FROM gateway_refresh_leases")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the winner released its lease").isZero();
        }
    }

    @Test
    void aLeaseLeftInRedisByANodeThatDiedEndsByItself() throws Exception {
        String url = TestRedis.requireReachable();
        GatewayServer node = f.node(0, Map.of("LATCHKEY_GATEWAY_REDIS_URL", url), f.clock);
        signIn(1, node.baseUrl());
        String key = "latchkey:gateway:refresh:" + HexFormat.of().formatHex(new SessionIds(f.sessionKey).hash(browsers.get(0).session()));
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            assertThat(redis.sync().set(key, "a-node-that-died", SetArgs.Builder.nx().px(1000))).isEqualTo("OK");
            String before = bearer(browsers.get(0).gw.get("/api/notes"));
            f.clock.advance(Duration.ofMinutes(5));
            long requests = f.tokenRequests();
            String after = bearer(browsers.get(0).gw.get("/api/notes"));
            assertThat(after).isNotEqualTo(before);
            assertThat(f.tokenRequests() - requests).isEqualTo(1);
            assertThat(f.refreshGenerations(emails.get(0))).isEqualTo(1);
            assertThat(redis.sync().exists(key)).as("the winner released its lease").isZero();
        } finally {
            client.shutdown();
        }
    }

    /**
     * Lets every session's access token expire, then sends {@link #REQUESTS_PER_SESSION} API calls of each session at
     * once, spread over {@code nodes}; each must succeed, and each session must have been refreshed exactly once.
     */
    private void refreshAllAtOnce(List<String> nodes) throws Exception {
        List<String> before = new ArrayList<>();
        for (GatewayFixture.Browser b : browsers) {
            for (String node : nodes) {                 // every node has read (and cached) every session
                Http h = new Http(node);
                h.cookies.put("__Host-lk-session", b.session());
                before.add(bearer(h.get("/api/notes")));
            }
        }
        f.clock.advance(Duration.ofMinutes(5));
        long requests = f.tokenRequests();
        CountDownLatch go = new CountDownLatch(1);
        List<List<Future<Http.Response>>> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (GatewayFixture.Browser b : browsers) {
                List<Future<Http.Response>> mine = new ArrayList<>();
                for (int i = 0; i < REQUESTS_PER_SESSION * nodes.size(); i++) {
                    Http h = new Http(nodes.get(i % nodes.size()));
                    h.cookies.put("__Host-lk-session", b.session());
                    mine.add(pool.submit(() -> {
                        go.await();
                        return h.get("/api/notes");
                    }));
                }
                out.add(mine);
            }
            go.countDown();
            for (int s = 0; s < out.size(); s++) {
                Set<String> tokens = new HashSet<>();
                for (Future<Http.Response> r : out.get(s)) {
                    tokens.add(bearer(r.get()));
                }
                assertThat(tokens).as("session %d: every request relayed the one new token", s).hasSize(1).doesNotContainAnyElementsOf(before);
            }
        }
        assertThat(f.tokenRequests() - requests).as("token requests at the server").isEqualTo(SESSIONS);
        for (String email : emails) {
            assertThat(f.refreshGenerations(email)).as("refresh-family rotations of " + email).isEqualTo(1);
        }
    }

    private static String bearer(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("headers").get("authorization").asText();
    }
}
