package dev.latchkey.gateway.session;

import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-node half of single-flight refresh: at most one holder per session across every gateway node, as a lease
 * in {@link RefreshLeases} (PostgreSQL or Redis). The work re-reads the session once it holds the lease, so a waiter
 * finds what the previous holder stored and uses those tokens instead of spending the rotated refresh token again.
 *
 * <p>Nothing is held while the work calls the server: claiming and releasing are one short statement each, and a
 * waiter polls (5 ms, doubling to 100 ms) without a connection. A lease outlives the work's longest token request
 * (15 s) and ends by itself after {@code ttl}, so a node that dies or loses its connection holding one delays that
 * session's next refresh by one lease time at most; waiters give up a little after that (503, or the still-valid
 * access token). Leases are released also when the work fails.
 */
public final class RefreshLock implements AutoCloseable {
    /** How long a claimed lease lasts unless released: more than a token request may take (OidcClient: 15 s). */
    public static final Duration LEASE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RefreshLock.class);

    private final RefreshLeases leases;
    private final Duration ttl;
    private final Duration wait;

    public RefreshLock(RefreshLeases leases, Duration ttl) {
        this.leases = Objects.requireNonNull(leases, "leases");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a lease lasts a positive time");
        }
        this.ttl = ttl;
        this.wait = ttl.plusSeconds(5);
    }

    /** Runs {@code work} holding the session's lease, waiting for another holder's release or expiry first. */
    public <T> T around(byte[] idHash, Callable<T> work) {
        String holder = RandomTokens.token(16);
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = 5;
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
        }
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
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
