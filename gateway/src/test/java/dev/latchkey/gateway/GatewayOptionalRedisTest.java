package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.server.Http;
import dev.latchkey.store.redis.RedisLink;
import dev.latchkey.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
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
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis is optional for the gateway while it runs, not only in its configuration: with
 * {@code LATCHKEY_GATEWAY_REDIS_URL} pointing at a Redis of the test's own that is not running, two gateway nodes
 * start and serve, and their refresh leases are kept in PostgreSQL; when Redis comes they move to it by themselves,
 * when it goes away again back to PostgreSQL. At every stage concurrent requests of one session spread over both
 * nodes refresh it exactly once and all succeed; {@code /health/ready} shows each state, and each change is logged
 * once per node.
 */
class GatewayOptionalRedisTest {
    private static final Pattern SET_CALLS = Pattern.compile("cmdstat_set:calls=(\\d+)");
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void captureLogs() {
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void release() {
        root.detachAppender(logs);
    }

    @Test
    void gatewayNodesStartRefreshOnceAndRecoverWhileRedisComesAndGoes() throws Exception {
        try (RedisProcess redis = RedisProcess.prepare();
             GatewayFixture f = new GatewayFixture(Map.of(), Map.of("LATCHKEY_GATEWAY_REDIS_URL", redis.url()))) {
            GatewayServer two = f.node(0, Map.of("LATCHKEY_GATEWAY_REDIS_URL", redis.url()), f.clock);
            List<Http> nodes = List.of(new Http(f.gateway.baseUrl()), new Http(two.baseUrl()));
            String email = f.newUser();
            GatewayFixture.Browser b = f.new Browser();
            assertThat(b.signIn(email, "/").status()).isEqualTo(303);

            // down from the start: both nodes serve, ready but degraded, leases in PostgreSQL
            for (Http n : nodes) {
                assertReady(n, "degraded", "down", "postgresql");
            }
            refreshOnceAcross(f, b, email, 1);

            // Redis comes: the nodes connect by themselves and keep leases there
            redis.start();
            for (Http n : nodes) {
                await(() -> ready(n).path("redis").asText(), "up");
                assertReady(n, "up", "up", "redis");
            }
            long sets = setCalls(redis.url());
            refreshOnceAcross(f, b, email, 2);
            assertThat(setCalls(redis.url())).as("the lease was claimed in Redis (SET NX PX)").isGreaterThan(sets);

            // Redis goes: marked down, leases back in PostgreSQL, refreshes go on without an error or a wait for Redis
            redis.stop();
            for (Http n : nodes) {
                await(() -> ready(n).path("redis").asText(), "down");
                assertReady(n, "degraded", "down", "postgresql");
            }
            refreshOnceAcross(f, b, email, 3);
            assertThat(f.idp.ts.backend().audit().recent(f.userId(email), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
        }
        List<String> link = logs.list.stream().filter(e -> e.getLoggerName().equals(RedisLink.class.getName()) && e.getLevel() != Level.DEBUG)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(link).as("per node one line for each change: down at start-up, up, down").hasSize(6);
        assertThat(link).filteredOn(l -> l.contains("unreachable at start-up")).hasSize(2)
                .allMatch(l -> l.contains("refresh leases fall back to PostgreSQL (gateway_refresh_leases)"));
        assertThat(link).filteredOn(l -> l.contains("reachable again")).hasSize(2)
                .allMatch(l -> l.contains("refresh leases are shared by every node again"));
        assertThat(link).filteredOn(l -> l.contains("is unreachable (")).hasSize(2);
        assertThat(logs.list).as("no warning per attempt or per request from Lettuce")
                .noneMatch(e -> e.getLoggerName().startsWith("io.lettuce") && e.getLevel().isGreaterOrEqual(Level.WARN));
    }

    @Test
    void withoutRedisTheHealthEndpointsSayUpAndAreNotProxied() throws Exception {
        try (GatewayFixture f = new GatewayFixture(Map.of(), Map.of())) {
            Http h = new Http(f.gateway.baseUrl());
            Http.Response live = h.get("/health/live");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.json().path("status").asText()).isEqualTo("up");
            Http.Response ready = h.get("/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.header("Cache-Control")).isEqualTo("no-store");
            assertThat(ready.json().path("status").asText()).isEqualTo("up");
            assertThat(ready.json().path("database").asText()).isEqualTo("up");
            assertThat(ready.json().has("redis")).isFalse();
            assertThat(h.get("/health/other").body()).as("other paths still go to the frontend")
                    .contains("<p id=\"path\">/health/other</p>");
        }
    }

    /**
     * Lets the access token expire, sends 12 requests of the session at once spread over both nodes: all succeed with
     * one new token, and the server rotated the family once more ({@code generation} in all).
     */
    private static void refreshOnceAcross(GatewayFixture f, GatewayFixture.Browser b, String email, long generation) throws Exception {
        List<String> bases = List.of(f.nodes.get(0).baseUrl(), f.nodes.get(1).baseUrl());
        f.clock.advance(Duration.ofMinutes(5));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                Http h = new Http(bases.get(i % 2));
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
                tokens.add(resp.json().get("headers").get("authorization").asText());
            }
            assertThat(tokens).as("one new token for every request").hasSize(1);
        }
        assertThat(f.refreshGenerations(email)).as("refresh-family rotations").isEqualTo(generation);
    }

    private static JsonNode ready(Http h) {
        return h.get("/health/ready").json();
    }

    private static void assertReady(Http h, String status, String redis, String leases) {
        Http.Response r = h.get("/health/ready");
        assertThat(r.status()).as("the node stays ready: " + r.body()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo(status);
        assertThat(r.json().path("database").asText()).isEqualTo("up");
        assertThat(r.json().path("redis").asText()).isEqualTo(redis);
        assertThat(r.json().path("refresh_leases").asText()).isEqualTo(leases);
    }

    private static long setCalls(String url) {
        RedisClient c = RedisClient.create(url);
        try (var conn = c.connect()) {
            Matcher m = SET_CALLS.matcher(conn.sync().info("commandstats"));
            return m.find() ? Long.parseLong(m.group(1)) : 0;
        } finally {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static void await(Supplier<String> value, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = value.get();
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + expected + ", last " + last);
    }
}
