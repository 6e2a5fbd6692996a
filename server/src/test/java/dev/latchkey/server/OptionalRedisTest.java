package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.store.redis.RedisLink;
import dev.latchkey.testkit.RedisProcess;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Redis is optional at run time, not only in the configuration: with {@code LATCHKEY_REDIS_URL} pointing at a Redis
 * of the test's own that is not running, a node starts and serves; its rate limits are counted per node (they still
 * limit) until Redis comes, then shared through it; when Redis goes away again the node goes on the same way.
 * {@code /health/ready} and {@code latchkey_redis_up} show each state, and each change is logged once.
 */
class OptionalRedisTest {
    private static final Pattern REDIS_UP = Pattern.compile("(?m)^latchkey_redis_up(?:\\{[^}]*})? ([0-9.]+)$");
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
    void aNodeStartsServesLimitsAndRecoversWhileRedisComesAndGoes() throws Exception {
        try (RedisProcess redis = RedisProcess.prepare();
             TestServer ts = TestServer.start(Map.of("LATCHKEY_REDIS_URL", redis.url(), "LATCHKEY_RATELIMIT_LOGIN_PER_ACCOUNT", "3/1h"))) {
            Http h = new Http(ts.base);

            // down from the start: the node is up, ready, degraded
            assertReady(h, "degraded", "down", "per_node");
            assertThat(redisUpMetric(h)).isEqualTo(0.0);
            String a = signUp(h);
            assertThat(logins(h, a, 5)).as("per-node counting still limits").containsExactly(200, 200, 200, 429, 429);

            // Redis comes: the node connects by itself and shares its counts through Redis
            redis.start();
            await(() -> ready(h).path("redis").asText(), "up");
            assertReady(h, "up", "up", "shared");
            assertThat(redisUpMetric(h)).isEqualTo(1.0);
            String b = signUp(h);
            assertThat(logins(h, b, 4)).containsExactly(200, 200, 200, 429);
            assertThat(redisKeys(redis.url(), "latchkey:rl:*")).as("the counts are in Redis now").isNotEmpty();

            // Redis goes: marked down at once, the node serves and limits per node again
            redis.stop();
            await(() -> ready(h).path("redis").asText(), "down");
            assertReady(h, "degraded", "down", "per_node");
            assertThat(redisUpMetric(h)).isEqualTo(0.0);
            String c = signUp(h);
            assertThat(logins(h, c, 20)).startsWith(200, 200, 200).endsWith(429).doesNotContain(500, 503);
        }
        List<String> link = logs.list.stream().filter(e -> e.getLoggerName().equals(RedisLink.class.getName()) && e.getLevel() != Level.DEBUG)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(link).as("one line for each change: down at start-up, up, down").hasSize(3);
        assertThat(link.get(0)).contains("unreachable at start-up", "rate limits fall back to this node's own");
        assertThat(link.get(1)).contains("reachable again", "rate limits are shared by every node again");
        assertThat(link.get(2)).contains("is unreachable (");
        assertThat(logs.list).as("no warning per attempt or per request from Lettuce or the limiter")
                .noneMatch(e -> e.getLoggerName().startsWith("io.lettuce") && e.getLevel().isGreaterOrEqual(Level.WARN))
                .noneMatch(e -> e.getFormattedMessage().contains("request allowed"));
    }

    @Test
    void aNodeWithRateLimitsOffStartsWhileRedisIsDown() throws Exception {
        try (RedisProcess redis = RedisProcess.prepare();
             TestServer ts = TestServer.start(Map.of("LATCHKEY_REDIS_URL", redis.url(), "LATCHKEY_RATELIMIT_ENABLED", "false"))) {
            Http h = new Http(ts.base);
            assertReady(h, "degraded", "down", "per_node");
            String a = signUp(h);
            assertThat(logins(h, a, 2)).containsOnly(200);
        }
    }

    private static JsonNode ready(Http h) {
        return h.get("/health/ready").json();
    }

    private static void assertReady(Http h, String status, String redis, String rateLimits) {
        Http.Response r = h.get("/health/ready");
        assertThat(r.status()).as("the node stays ready: " + r.body()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo(status);
        assertThat(r.json().path("database").asText()).isEqualTo("up");
        assertThat(r.json().path("redis").asText()).isEqualTo(redis);
        assertThat(r.json().path("rate_limits").asText()).isEqualTo(rateLimits);
    }

    private static double redisUpMetric(Http h) {
        Matcher m = REDIS_UP.matcher(h.get("/metrics").body());
        assertThat(m.find()).as("latchkey_redis_up is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String signUp(Http h) {
        String email = "r" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(h.base).postJson("/api/auth/signup", body(email));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return email;
    }

    private static List<Integer> logins(Http h, String email, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new Http(h.base).postJson("/api/auth/login", body(email)).status()).toList();
    }

    private static String body(String email) {
        return "{\"email\":\"" + email + "\",\"password\":\"optional redis passphrase\"}";
    }

    private static List<String> redisKeys(String url, String pattern) {
        RedisClient c = RedisClient.create(url);
        try (var conn = c.connect()) {
            return conn.sync().keys(pattern);
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
