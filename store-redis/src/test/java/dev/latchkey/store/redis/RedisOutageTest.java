package dev.latchkey.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.testkit.RedisProcess;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A Redis of the test's own, absent at start-up, then started, stopped and started again under a running rate
 * limiter: it never throws, counts in this process while Redis is away (and really limits there), shares counts
 * through Redis again once it is back, and logs each change once, with no warning from Lettuce.
 */
class RedisOutageTest {
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger linkLog = (Logger) LoggerFactory.getLogger(RedisLink.class);

    /** This node's own buckets (what the server's LocalRateLimiter does), counting how often it decided. */
    static final class LocalBuckets implements RateLimiter {
        final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
        final AtomicInteger decisions = new AtomicInteger();

        @Override
        public Decision consume(String bucket, String key, RateLimit limit) {
            decisions.incrementAndGet();
            ConsumptionProbe p = buckets.computeIfAbsent(bucket + ":" + key, k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build()).build())
                    .tryConsumeAndReturnRemaining(1);
            return p.isConsumed() ? new Allowed() : new Limited(Duration.ofNanos(p.getNanosToWaitForRefill()));
        }
    }

    @BeforeEach
    void captureLogs() {
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        root.addAppender(logs);
        linkLog.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        root.detachAppender(logs);
        linkLog.setLevel(null);
    }

    @Test
    void aRedisOutageFallsBackToLocalCountsAndRecoversByItself() throws Exception {
        try (RedisProcess redis = RedisProcess.prepare()) {
            String prefix = "lk-outage:" + UUID.randomUUID() + ":";
            LocalBuckets local = new LocalBuckets();
            RateLimit two = new RateLimit(2, Duration.ofHours(1));
            try (RedisLink link = RedisLink.open(redis.url(), Duration.ofSeconds(2), "rate limits")) {
                RedisRateLimiter limiter = new RedisRateLimiter(link, prefix, local);

                // 1. Redis is not there at start-up: no exception, the fallback limits for real
                assertThat(link.isUp()).isFalse();
                String k1 = UUID.randomUUID().toString();
                assertThat(decisions(limiter, k1, two, 3)).containsExactly(true, true, false);
                assertThat(local.decisions.get()).isEqualTo(3);
                awaitRetries(3);
                assertThat(lines(Level.WARN, "unreachable at start-up")).hasSize(1);

                // 2. Redis comes: the link reconnects by itself, and counts go to Redis
                redis.start();
                await(link::isUp, "the link reconnects once Redis answers");
                String k2 = UUID.randomUUID().toString();
                assertThat(decisions(limiter, k2, two, 3)).containsExactly(true, true, false);
                assertThat(local.decisions.get()).as("decided in Redis, not here").isEqualTo(3);
                assertThat(keyExists(redis.url(), prefix + "rl:login:" + k2)).isTrue();
                assertThat(lines(Level.INFO, "reachable again")).hasSize(1);

                // 3. Redis goes away under a running limiter: marked down, every request decided here, one warning
                int retriesBefore = lines(Level.DEBUG, "still unreachable").size();
                redis.stop();
                String k3 = UUID.randomUUID().toString();
                List<Boolean> during = decisions(limiter, k3, two, 50);
                assertThat(during.subList(0, 2)).containsOnly(true);
                assertThat(during.subList(2, 50)).as("the fallback limits too").containsOnly(false);
                assertThat(link.isUp()).isFalse();
                awaitRetries(retriesBefore + 3);
                assertThat(lines(Level.WARN, "is unreachable (")).as("one line for the whole outage").hasSize(1);

                // 4. back again
                redis.start();
                await(link::isUp, "the link reconnects after the outage");
                int before = local.decisions.get();
                assertThat(decisions(limiter, UUID.randomUUID().toString(), two, 1)).containsExactly(true);
                assertThat(local.decisions.get()).isEqualTo(before);
                assertThat(lines(Level.INFO, "reachable again")).hasSize(2);
            }
            assertThat(logs.list).as("Lettuce's own reconnection warnings are gone")
                    .noneMatch(e -> e.getLoggerName().startsWith("io.lettuce") && e.getLevel().isGreaterOrEqual(Level.WARN));
            assertThat(logs.list).filteredOn(e -> e.getLoggerName().equals(RedisLink.class.getName()))
                    .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("127.0.0.1:" + redis.port()));
        }
    }

    private static List<Boolean> decisions(RateLimiter l, String key, RateLimit limit, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> l.consume("login", key, limit) instanceof RateLimiter.Allowed).toList();
    }

    private List<ILoggingEvent> lines(Level level, String text) {
        return logs.list.stream().filter(e -> e.getLoggerName().equals(RedisLink.class.getName()) && e.getLevel() == level
                && e.getFormattedMessage().contains(text)).toList();
    }

    /** Waits until the link has tried (and failed) to reconnect {@code n} times in all. */
    private void awaitRetries(int n) throws InterruptedException {
        await(() -> lines(Level.DEBUG, "still unreachable").size() >= n, n + " reconnection attempts");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean keyExists(String url, String key) {
        RedisClient c = RedisClient.create(url);
        try (var conn = c.connect()) {
            return conn.sync().exists(key) == 1;
        } finally {
            c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
