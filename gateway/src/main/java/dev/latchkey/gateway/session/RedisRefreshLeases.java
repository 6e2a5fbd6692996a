package dev.latchkey.gateway.session;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HexFormat;

/**
 * {@link RefreshLeases} in Redis: {@code SET key holder NX PX ttl} claims, a compare-and-delete script releases only
 * one's own lease (Redis documentation, "Distributed locks", single instance); the key's TTL ends a lease whose holder
 * died. One multiplexed connection per node, never held by a caller while it waits.
 */
public final class RedisRefreshLeases implements RefreshLeases {
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;

    public RedisRefreshLeases(String url, String prefix) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(5));
        this.client = RedisClient.create(uri);
        this.connection = client.connect();
        this.prefix = prefix;
    }

    @Override
    public boolean claim(byte[] idHash, String holder, Duration ttl) {
        return "OK".equals(connection.sync().set(key(idHash), holder, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    @Override
    public void release(byte[] idHash, String holder) {
        connection.sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key(idHash)}, holder);
    }

    private String key(byte[] idHash) {
        return prefix + HexFormat.of().formatHex(idHash);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
