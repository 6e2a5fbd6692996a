package dev.latchkey.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Token buckets in this process (one node, or when no Redis is configured). Bounded: idle buckets
 * are dropped after an hour and at most {@code maxKeys} are kept, so a flood of distinct keys
 * cannot exhaust memory.
 */
public final class LocalRateLimiter implements RateLimiter {
    private record Key(String bucket, String key) {
    }

    private final Cache<Key, Bucket> buckets;

    public LocalRateLimiter(long maxKeys) {
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(Duration.ofHours(1)).build();
    }

    @Override
    public Decision consume(String bucket, String key, RateLimit limit) {
        Bucket b = buckets.get(new Key(bucket, key), k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
                .build());
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        return p.isConsumed() ? new Allowed() : new Limited(Duration.ofNanos(p.getNanosToWaitForRefill()));
    }
}
