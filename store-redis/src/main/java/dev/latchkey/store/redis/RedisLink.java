package dev.latchkey.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection to an optional Redis, kept across Redis outages. It is opened at start-up if Redis answers,
 * else in the background; a failed command or a dropped connection marks it down, and a background loop opens a
 * new one (backing off from {@link #FIRST_RETRY} to {@link #MAX_RETRY}) until Redis answers a {@code PING} again.
 * While it is down, {@link #connection()} is empty and callers use their fallback at once instead of waiting on a
 * dead socket. Each change is logged once (down with the reason, up with how long it was down), never per request
 * or per attempt: Lettuce's own reconnection (and its warning at every failed attempt) is switched off.
 */
public final class RedisLink implements AutoCloseable {
    static final Duration FIRST_RETRY = Duration.ofMillis(250);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

    private final RedisClient client;
    private final String where;
    private final String dependents;
    private final String fallback;
    private final ScheduledExecutorService reconnector;
    private volatile StatefulRedisConnection<byte[], byte[]> current;
    private Instant downSince;
    private Duration nextRetry = FIRST_RETRY;
    private boolean retryScheduled;
    private boolean closed;

    private RedisLink(RedisURI uri, String dependents, String fallback) {
        this.where = uri.getHost() == null ? "(sentinel " + uri.getSentinelMasterId() + ")" : uri.getHost() + ":" + uri.getPort();
        this.dependents = dependents;
        this.fallback = fallback;
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(uri.getTimeout()).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(uri.getTimeout()))
                .build());
        this.reconnector = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("latchkey-redis-link").daemon().factory());
    }

    /**
     * Connects to {@code url} now if Redis answers within {@code timeout}, else keeps trying in the background; never
     * throws for an unreachable Redis.
     *
     * @param timeout    connect and command timeout
     * @param dependents what relies on Redis, for the log lines (e.g. "rate limits")
     */
    public static RedisLink open(String url, Duration timeout, String dependents) {
        return open(url, timeout, dependents, "this node's own");
    }

    /**
     * As {@link #open(String, Duration, String)}, for dependents whose fallback is not this node's own.
     *
     * @param fallback what the dependents use while Redis is down, for the log lines (e.g. "PostgreSQL's")
     */
    public static RedisLink open(String url, Duration timeout, String dependents, String fallback) {
        RedisURI uri = RedisURI.create(Objects.requireNonNull(url, "url"));
        uri.setTimeout(Objects.requireNonNull(timeout, "timeout"));
        RedisLink link = new RedisLink(uri, dependents, Objects.requireNonNull(fallback, "fallback"));
        synchronized (link) {
            link.downSince = Instant.now();
            try {
                link.connect();
                LOG.info("Redis at {} connected: {} are shared by every node", link.where, dependents);
            } catch (RuntimeException e) {
                LOG.warn("Redis at {} is unreachable at start-up ({}): {} fall back to {} until it answers; "
                        + "reconnecting in the background", link.where, reason(e), dependents, link.fallback);
                link.scheduleRetry();
            }
        }
        return link;
    }

    /** The open connection, or empty while Redis is unreachable. */
    public Optional<StatefulRedisConnection<byte[], byte[]>> connection() {
        return Optional.ofNullable(current);
    }

    /** True while a connection is open (the last command on it did not fail). */
    public boolean isUp() {
        return current != null;
    }

    /** Where Redis is (host and port, never credentials). */
    public String where() {
        return where;
    }

    /** A command on {@code which} failed: unless a newer connection replaced it already, the link is down until Redis answers again. */
    public void failed(StatefulRedisConnection<?, ?> which, RuntimeException e) {
        markDown(which, reason(e));
    }

    private void markDown(Object which, String why) {
        if (which != current) {
            return;                       // an older connection, already replaced (or the link is down already)
        }
        synchronized (this) {
            if (!closed && which == current) {
                down(why);
            }
        }
    }

    /** Caller holds the lock. */
    private void down(String why) {
        StatefulRedisConnection<byte[], byte[]> dead = current;
        current = null;
        downSince = Instant.now();
        nextRetry = FIRST_RETRY;
        LOG.warn("Redis at {} is unreachable ({}): {} fall back to {} until it answers again", where, why, dependents, fallback);
        dead.closeAsync();
        scheduleRetry();
    }

    /** Caller holds the lock. Opens a connection and checks that Redis answers on it. */
    private void connect() {
        StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
        try {
            c.sync().ping();
        } catch (RuntimeException e) {
            c.closeAsync();
            throw e;
        }
        c.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                // on a Netty thread, which a connect in progress may need: decide elsewhere
                try {
                    reconnector.execute(() -> markDown(c, "connection closed"));
                } catch (RejectedExecutionException closing) {
                    // the link is being closed
                }
            }
        });
        current = c;
        if (!c.isOpen()) {
            // closed between the PING and the listener: the listener saw nothing, so say it here
            current = null;
            throw new IllegalStateException("connection closed");
        }
    }

    /** Caller holds the lock. */
    private void scheduleRetry() {
        if (retryScheduled || closed) {
            return;
        }
        retryScheduled = true;
        reconnector.schedule(this::retry, nextRetry.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void retry() {
        retryScheduled = false;
        if (closed || current != null) {
            return;
        }
        try {
            connect();
            Duration down = Duration.between(downSince, Instant.now());
            LOG.info("Redis at {} is reachable again after {} s: {} are shared by every node again", where, down.toSeconds(), dependents);
            nextRetry = FIRST_RETRY;
        } catch (RuntimeException e) {
            LOG.debug("Redis at {} still unreachable: {}", where, reason(e));
            nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
            scheduleRetry();
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    @Override
    public void close() {
        StatefulRedisConnection<byte[], byte[]> c;
        synchronized (this) {
            closed = true;
            c = current;
            current = null;
        }
        reconnector.shutdownNow();
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
