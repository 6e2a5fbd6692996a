package dev.latchkey.store.redis;

import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.testkit.TestRedis;
import dev.latchkey.testkit.contract.RateLimiterContract;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis rate limiter against a real Redis, two "nodes" (links) sharing counters. */
class RedisRateLimiterTest extends RateLimiterContract {
    static String url;
    static String prefix;
    static final List<RedisLink> OPEN = new ArrayList<>();
    /** Redis is up throughout: a decision made by the fallback is a failure of this test. */
    static final RateLimiter NO_FALLBACK = (bucket, key, limit) -> {
        throw new AssertionError("the fallback decided while Redis was up");
    };

    @BeforeAll
    static void connect() {
        url = TestRedis.requireReachable();
        prefix = TestRedis.keyPrefix();
    }

    @AfterAll
    static void cleanUp() {
        OPEN.forEach(RedisLink::close);
        if (url != null) {
            RedisClient client = RedisClient.create(url);
            try (var c = client.connect()) {
                var keys = c.sync().keys(prefix + "*");
                if (!keys.isEmpty()) {
                    c.sync().del(keys.toArray(String[]::new));
                }
            } finally {
                client.shutdown();
            }
        }
    }

    @Override
    protected RateLimiter limiter() {
        // two connections, as two nodes would have, taking turns on the same keys
        RedisLink la = RedisLink.open(url, Duration.ofSeconds(5), "rate limits");
        RedisLink lb = RedisLink.open(url, Duration.ofSeconds(5), "rate limits");
        OPEN.add(la);
        OPEN.add(lb);
        RedisRateLimiter a = new RedisRateLimiter(la, prefix, NO_FALLBACK);
        RedisRateLimiter b = new RedisRateLimiter(lb, prefix, NO_FALLBACK);
        var turn = new java.util.concurrent.atomic.AtomicInteger();
        return (bucket, key, limit) -> (turn.getAndIncrement() & 1) == 0 ? a.consume(bucket, key, limit) : b.consume(bucket, key, limit);
    }
}
