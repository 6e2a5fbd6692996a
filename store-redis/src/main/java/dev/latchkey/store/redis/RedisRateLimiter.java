package dev.latchkey.store.redis;

import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets in Redis (Bucket4j's compare-and-swap protocol), so every node shares one count per
 * key. Keys expire once their bucket would be full again. If Redis is unreachable the request is
 * let through and the failure logged: an outage of the rate limiter must not lock everyone out.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final ProxyManager<byte[]> buckets;
    private final String prefix;

    public RedisRateLimiter(RedisClient client, String prefix) {
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(5)))
                .build();
        this.prefix = prefix;
    }

    @Override
    public Decision consume(String bucket, String key, RateLimit limit) {
        byte[] redisKey = (prefix + "rl:" + bucket + ":" + key).getBytes(StandardCharsets.UTF_8);
        BucketConfiguration cfg = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()).build())
                .build();
        try {
            ConsumptionProbe p = buckets.builder().build(redisKey, () -> cfg).tryConsumeAndReturnRemaining(1);
            return p.isConsumed() ? new Allowed() : new Limited(Duration.ofNanos(p.getNanosToWaitForRefill()));
        } catch (RuntimeException e) {
            LOG.error("rate limiter unavailable (Redis): request allowed: {}", e.getMessage());
            return new Allowed();
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
