package dev.latchkey.store.redis;

import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.testkit.TestRedis;
import dev.latchkey.testkit.contract.RateLimiterContract;
import io.lettuce.core.RedisClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis rate limiter against a real Redis, two "nodes" (clients) sharing counters. */
class RedisRateLimiterTest extends RateLimiterContract {
    static RedisClient client;
    static String prefix;
    static final List<RedisRateLimiter> OPEN = new ArrayList<>();

    @BeforeAll
    static void connect() {
        client = RedisClient.create(TestRedis.requireReachable());
        prefix = TestRedis.keyPrefix();
    }

    @AfterAll
    static void cleanUp() {
        OPEN.forEach(RedisRateLimiter::close);
        if (client != null) {
            try (var c = client.connect()) {
                var keys = c.sync().keys(prefix + "*");
                if (!keys.isEmpty()) {
                    c.sync().del(keys.toArray(String[]::new));
                }
            }
            client.shutdown();
        }
    }

    @Override
    protected RateLimiter limiter() {
        // two connections, as two nodes would have, taking turns on the same keys
        RedisRateLimiter a = new RedisRateLimiter(client, prefix);
        RedisRateLimiter b = new RedisRateLimiter(client, prefix);
        OPEN.add(a);
        OPEN.add(b);
        var turn = new java.util.concurrent.atomic.AtomicInteger();
        return (bucket, key, limit) -> (turn.getAndIncrement() & 1) == 0 ? a.consume(bucket, key, limit) : b.consume(bucket, key, limit);
    }
}
