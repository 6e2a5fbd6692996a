package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} must do; each adapter's test extends this. */
public abstract class RateLimiterContract {
    protected abstract RateLimiter limiter();

    @Test
    void allowsUpToCapacityThenLimitsWithARetryAfter() {
        RateLimiter l = limiter();
        String key = UUID.randomUUID().toString();
        RateLimit limit = new RateLimit(5, Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertThat(l.consume("login", key, limit)).isInstanceOf(RateLimiter.Allowed.class);
        }
        RateLimiter.Decision d = l.consume("login", key, limit);
        assertThat(d).isInstanceOf(RateLimiter.Limited.class);
        Duration wait = ((RateLimiter.Limited) d).retryAfter();
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void keysAndBucketsAreIndependent() {
        RateLimiter l = limiter();
        String key = UUID.randomUUID().toString();
        RateLimit one = new RateLimit(1, Duration.ofMinutes(1));
        assertThat(l.consume("login", key, one)).isInstanceOf(RateLimiter.Allowed.class);
        assertThat(l.consume("login", key, one)).isInstanceOf(RateLimiter.Limited.class);
        assertThat(l.consume("login", key + "x", one)).isInstanceOf(RateLimiter.Allowed.class);
        assertThat(l.consume("signup", key, one)).isInstanceOf(RateLimiter.Allowed.class);
    }

    @Test
    void concurrentRequestsNeverExceedTheCapacity() throws Exception {
        RateLimiter l = limiter();
        String key = UUID.randomUUID().toString();
        RateLimit limit = new RateLimit(20, Duration.ofHours(1));
        AtomicInteger allowed = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                fs.add(pool.submit(() -> {
                    if (l.consume("login", key, limit) instanceof RateLimiter.Allowed) {
                        allowed.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertThat(allowed.get()).isEqualTo(20);
    }
}
