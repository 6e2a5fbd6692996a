package dev.latchkey.gateway.session;

import java.util.concurrent.Callable;

/**
 * The cross-node half of single-flight refresh: at most one holder per session across every gateway node. The
 * work re-reads the session once it holds the lock, so a waiter finds what the previous holder stored.
 */
public interface RefreshLock extends AutoCloseable {
    <T> T around(byte[] idHash, Callable<T> work);

    @Override
    default void close() {
    }
}
