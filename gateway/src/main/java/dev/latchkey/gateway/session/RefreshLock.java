package dev.latchkey.gateway.session;

import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node half of single-flight refresh: at most one holder per session across every gateway node, as a lease
 * in {@link RefreshLeases} (PostgreSQL, or Redis while it answers). The work re-reads the session once it holds the
 * lease, so a waiter finds what the previous holder stored and uses those tokens instead of spending the rotated
 * refresh token again.
 *
 * <p>Nothing is held while the work calls the server: claiming and releasing are one short statement each, and a
 * waiter polls (5 ms, doubling to 100 ms) without a connection. A lease ends by itself after {@code ttl}
 * ({@code LATCHKEY_GATEWAY_REFRESH_LEASE}), so a node that dies or stalls holding one delays that session's next
 * refresh by one lease time at most; waiters give up a little after that (503, or the still-valid access token).
 * The lease is short on purpose: the node that takes over presents the refresh token the dead holder may already
 * have spent, which the server forgives (the same successor again) only inside its grace window
 * ({@code tokens.refresh_grace}), so the lease must end well inside that window. The work learns when its lease
 * ends ({@link Held#endsAtNanos()}) and keeps its token requests within it. Leases are released also when the work
 * fails.
 */
public final class RefreshLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshLock.class);

    private final RefreshLeases leases;
    private final Duration ttl;
    private final Duration wait;

    /**
     * A lease this node holds: claimed by a statement sent at {@code claimedAtNanos} ({@link System#nanoTime()}), so
     * it ends no earlier than {@code ttl} after that, as the store judges it.
     */
    public record Held(long claimedAtNanos, Duration ttl) {
        /** When this node must consider the lease gone ({@link System#nanoTime()} scale). */
        public long endsAtNanos() {
            return claimedAtNanos + ttl.toNanos();
        }
    }

    public RefreshLock(RefreshLeases leases, Duration ttl) {
        this.leases = Objects.requireNonNull(leases, "leases");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease lasts a positive time");
        }
        this.ttl = ttl;
        // a holder ends its work within the lease, a dead holder's lease expires after it: half a lease more covers
        // the poll interval and a loaded database
        this.wait = ttl.plus(ttl.dividedBy(2)).plusSeconds(1);
    }

    /** How long a lease lasts unless released. */
    public Duration ttl() {
        return ttl;
    }

    /** Runs {@code work} holding the session's lease, waiting for another holder's release or expiry first. */
    public <T> T around(byte[] idHash, Function<Held, T> work) {
        String holder = RandomTokens.token(16);
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 5;
        long claimedAt = System.nanoTime();
        while (!claim(idHash, holder)) {
            if (System.nanoTime() - deadline > 0) {
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "refresh lease not released in time");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(GatewayError.INTERNAL, "interrupted while waiting for the refresh lease");
            }
            pause = Math.min(100, pause * 2);
            claimedAt = System.nanoTime();
        }
        try {
            return work.apply(new Held(claimedAt, ttl));
        } finally {
            try {
                leases.release(idHash, holder);
            } catch (RuntimeException e) {
                LOG.warn("releasing a refresh lease failed ({}); it expires by itself within {}", e.toString(), ttl);
            }
        }
    }

    private boolean claim(byte[] idHash, String holder) {
        try {
            return leases.claim(idHash, holder, ttl);
        } catch (RuntimeException e) {
            // the lease store is unreachable: the caller falls back to a still-valid access token, else answers 503
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "refresh lease store unavailable: " + e, e);
        }
    }

    @Override
    public void close() {
        leases.close();
    }
}
