package dev.latchkey.gateway.session;

import dev.latchkey.store.redis.RedisLink;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link RefreshLeases} in Redis while it answers, else in {@code fallback} (the gateway's PostgreSQL leases): in
 * Redis, {@code SET key holder NX PX ttl} claims, a compare-and-delete script releases only one's own lease (Redis
 * documentation, "Distributed locks", single instance), and the key's TTL ends a lease whose holder died. The one
 * connection is the {@link RedisLink}'s (opened in the background, reopened after an outage); while it is down, or
 * when a command on it fails, a claim goes to the fallback at once. A lease is released where it was claimed.
 *
 * <p>During an outage some nodes may hold a session's lease in PostgreSQL while another, that still reaches Redis,
 * holds it there, so two refreshes of one session can overlap; that is harmless (the server gives the same successor
 * to the token just replaced inside its grace window, which the lease is shorter than, and the store keeps the
 * newest generation): see docs/gateway.md.
 */
public final class RedisRefreshLeases implements RefreshLeases {
    private static final byte[] RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
            .getBytes(StandardCharsets.UTF_8);

    private final RedisLink link;
    private final String prefix;
    private final RefreshLeases fallback;
    /** Holders whose lease is in the fallback store (each holder claims once: a random token per refresh). */
    private final Map<String, Boolean> inFallback = new ConcurrentHashMap<>();

    public RedisRefreshLeases(RedisLink link, String prefix, RefreshLeases fallback) {
        this.link = Objects.requireNonNull(link, "link");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public boolean claim(byte[] idHash, String holder, Duration ttl) {
        Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
        if (c.isPresent()) {
            try {
                return "OK".equals(c.get().sync().set(key(idHash), bytes(holder), SetArgs.Builder.nx().px(ttl.toMillis())));
            } catch (RuntimeException e) {
                link.failed(c.get(), e);      // a lease it may have set in Redis meanwhile expires by itself
            }
        }
        boolean claimed = fallback.claim(idHash, holder, ttl);
        if (claimed) {
            inFallback.put(holder, Boolean.TRUE);
        }
        return claimed;
    }

    @Override
    public void release(byte[] idHash, String holder) {
        if (inFallback.remove(holder) != null) {
            fallback.release(idHash, holder);
            return;
        }
        Optional<StatefulRedisConnection<byte[], byte[]>> c = link.connection();
        if (c.isEmpty()) {
            return;                           // Redis went away under the holder: its key expires by itself
        }
        try {
            c.get().sync().eval(RELEASE, ScriptOutputType.INTEGER, new byte[][] {key(idHash)}, bytes(holder));
        } catch (RuntimeException e) {
            link.failed(c.get(), e);
            throw e;
        }
    }

    /** Whether leases are kept in Redis now (false: in the fallback, while Redis is unreachable). */
    public boolean inRedis() {
        return link.isUp();
    }

    private byte[] key(byte[] idHash) {
        return bytes(prefix + HexFormat.of().formatHex(idHash));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        link.close();
    }
}
