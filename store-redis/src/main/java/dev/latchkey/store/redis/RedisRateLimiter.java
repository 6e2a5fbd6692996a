package dev.latchkey.store.redis;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Token buckets in Redis (Bucket4j's compare-and-swap protocol), so every node shares one count per key. Keys
 * expire once their bucket would be full again. While Redis is unreachable ({@link RedisLink} down, or a command
 * fails) every request is counted by {@code fallback} instead — this node's own buckets, as on a single node — so
 * an outage neither locks everyone out nor lifts the limits; counts start afresh in Redis when it is back.
 */
public final class RedisRateLimiter implements RateLimiter {
    /** The buckets on one connection; rebuilt when the link opens a new one. */
    private record Bound(StatefulRedisConnection<byte[], byte[]> connection, ProxyManager<byte[]> buckets) {
    }

    private final RedisLink link;
    private final String prefix;
    private final RateLimiter fallback;
    private volatile Bound bound;

    public RedisRateLimiter(RedisLink link, String prefix, RateLimiter fallback) {
        this.link = Objects.requireNonNull(link, "link");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public Decision consume(String bucket, String key, RateLimit limit) {
        Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
        if (c.isEmpty()) {
            return fallback.consume(bucket, key, limit);
        }
        byte[] redisKey = (prefix + "rl:" + bucket + ":" + key).getBytes(StandardCharsets.UTF_8);
        BucketConfiguration cfg = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
                .build();
        try {
            ConsumptionProbe p = buckets(c.get()).builder().build(redisKey, () -> cfg).tryConsumeAndReturnRemaining(1);
            return p.isConsumed() ? new Allowed() : new Limited(Duration.ofNanos(p.getNanosToWaitForRefill()));
        } catch (RuntimeException e) {
            link.failed(c.get(), e);
            return fallback.consume(bucket, key, limit);
        }
    }

    private ProxyManager<byte[]> buckets(StatefulRedisConnection<byte[], byte[]> connection) {
        Bound b = bound;
        if (b == null || b.connection() != connection) {
            b = new Bound(connection, Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(5)))
                    .build());
            bound = b;
        }
        return b.buckets();
    }
}
