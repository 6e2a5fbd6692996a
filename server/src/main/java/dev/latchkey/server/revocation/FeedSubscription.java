package dev.latchkey.server.revocation;

import dev.latchkey.core.session.Revocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One feed connection's view of the {@link RevocationBus}: the bus hands each committed entry to every
 * subscription without blocking; the connection's own (virtual) thread takes them out. A consumer too slow
 * to keep up does not hold the bus back: its queue overflows, and the connection reads what it missed
 * from the log instead ({@link #takeOverflow()}).
 */
final class FeedSubscription implements RevocationBus.Listener, AutoCloseable {
    private final RevocationBus bus;
    /** Not an entry: put in the queue to wake a waiting {@link #poll} when the subscription ends. */
    private static final Revocation WAKE = new Revocation(Long.MIN_VALUE, Revocation.Kind.SESSION, null, null, null, java.time.Instant.EPOCH);

    private final BlockingQueue<Revocation> queue;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    private final Set<FeedSubscription> open;

    /**
     * Subscribes at once: anything committed from now on is either queued or flagged as overflow.
     *
     * @param open the subscriptions of the endpoint, which this one joins until it is closed
     */
    FeedSubscription(RevocationBus bus, int capacity, Set<FeedSubscription> open) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.bus = bus;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.open = open;
        open.add(this);
        bus.subscribe(this);
    }

    @Override
    public void revoked(Revocation r) {
        if (!queue.offer(r)) {
            overflowed.set(true);
        }
    }

    /** The bus lost its database connection; it re-reads the log after the last entry when it is back, so nothing is lost here. */
    @Override
    public void resync() {
    }

    /**
     * True (once) when entries were dropped since the last call; the queue is emptied so the caller can
     * re-read the log from its cursor and then continue with what arrives next.
     */
    boolean takeOverflow() {
        if (overflowed.getAndSet(false)) {
            queue.clear();
            return true;
        }
        return false;
    }

    /** Ends the connection's wait: {@link #poll} returns at once from now on, and {@link #ended()} is true. */
    void end() {
        ended.set(true);
        queue.offer(WAKE);           // when the queue is full, poll returns at once anyway
    }

    boolean ended() {
        return ended.get();
    }

    /** Entries that arrived, waiting up to {@code timeout} for the first; empty when none came or the subscription ended. */
    List<Revocation> poll(Duration timeout) throws InterruptedException {
        if (ended()) {
            return List.of();
        }
        Revocation first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (first == null || first == WAKE) {
            return List.of();
        }
        List<Revocation> out = new ArrayList<>();
        out.add(first);
        queue.drainTo(out);
        out.remove(WAKE);
        return out;
    }

    @Override
    public void close() {
        bus.unsubscribe(this);
        open.remove(this);
    }
}
