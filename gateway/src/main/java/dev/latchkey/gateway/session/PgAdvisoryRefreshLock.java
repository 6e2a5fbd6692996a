package dev.latchkey.gateway.session;

import dev.latchkey.store.sql.Jdbc;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.concurrent.Callable;

/**
 * {@link RefreshLock} on PostgreSQL: {@code pg_advisory_xact_lock(class, key)} in a transaction that stays open while
 * the work runs (the lock ends with it, also when a node dies). The key is taken from the session's id hash; a
 * collision only serializes two sessions' refreshes.
 */
public final class PgAdvisoryRefreshLock implements RefreshLock {
    /** Advisory-lock namespace of the gateway ('LKGW'). */
    static final int LOCK_CLASS = 0x4C4B4757;

    private final Jdbc jdbc;

    public PgAdvisoryRefreshLock(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public <T> T around(byte[] idHash, Callable<T> work) {
        return jdbc.inTransaction(c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?, ?)", rs -> 1, LOCK_CLASS, ByteBuffer.wrap(idHash).getInt());
            try {
                return work.call();
            } catch (RuntimeException | SQLException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
