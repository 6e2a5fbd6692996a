package dev.latchkey.gateway.session;

import java.time.Duration;

/**
 * Where refresh leases are kept, one per session: claimed by one conditional write that succeeds only while no other
 * holder's lease is live, released by the holder, and ending by themselves when their time is up (a holder that died
 * never blocks a session for longer than that). Claiming and releasing are each one short round trip; nothing is
 * held open in between.
 */
public interface RefreshLeases extends AutoCloseable {
    /** Claims the session's lease for {@code ttl} unless another holder's lease is still live; true if claimed. */
    boolean claim(byte[] idHash, String holder, Duration ttl);

    /** Ends {@code holder}'s lease; nothing happens if it had expired and another holder took it over. */
    void release(byte[] idHash, String holder);

    @Override
    default void close() {
    }
}
