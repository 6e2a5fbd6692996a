package dev.latchkey.gateway.session;

import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@link RefreshLock} on Redis: {@code SET key token NX PX ttl} to take it (polled until it is free), a
 * compare-and-delete script to release only one's own lock (Redis documentation, "Distributed locks": single
 * instance). The TTL outlives a token request, so a node that dies holding it blocks others at most that long.
 */
public final class RedisRefreshLock implements RefreshLock {
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(35);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;

    public RedisRefreshLock(String url, String prefix) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(5));
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
        this.prefix = prefix;
    }

    @Override
    public <T> T around(byte[] idHash, Callable<T> work) {
        String key = prefix + HexFormat.of().formatHex(idHash);
        String token = RandomTokens.token(16);
        long deadline = System.nanoTime() + WAIT.toNanos();
        long pause = 5;
        while (!"OK".equals(connection.sync().set(key, token, SetArgs.Builder.nx().px(TTL.toMillis())))) {
            if (System.nanoTime() > deadline) {
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "refresh lock not released in time");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(GatewayError.INTERNAL, "interrupted while waiting for the refresh lock");
            }
            pause = Math.min(50, pause * 2);
        }
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            connection.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, token);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
