package dev.latchkey.gateway.session;

import dev.latchkey.store.sql.Jdbc;
import java.time.Duration;

/**
 * {@link RefreshLeases} in PostgreSQL ({@code gateway_refresh_leases}): a claim is one autocommitted
 * {@code INSERT … ON CONFLICT DO UPDATE … WHERE expires_at <= clock_timestamp()} (two claimants of one free lease are
 * serialized by the primary key: exactly one inserts or takes over, the other's statement changes no row). Each call
 * borrows a pooled connection for that one statement only. Expiry uses the database's clock, shared by every node.
 */
public final class PgRefreshLeases implements RefreshLeases {
    private static final String CLAIM = "INSERT INTO gateway_refresh_leases (id_hash, holder, expires_at)"
            + " VALUES (?, ?, clock_timestamp() + ? * interval '1 millisecond')"
            + " ON CONFLICT (id_hash) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at"
            + " WHERE gateway_refresh_leases.expires_at <= clock_timestamp()";

    private final Jdbc jdbc;

    public PgRefreshLeases(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean claim(byte[] idHash, String holder, Duration ttl) {
        return jdbc.update(CLAIM, idHash, holder, ttl.toMillis()) == 1;
    }

    @Override
    public void release(byte[] idHash, String holder) {
        jdbc.update("DELETE FROM gateway_refresh_leases WHERE id_hash = ? AND holder = ?", idHash, holder);
    }

    /** Deletes the leases that expired without being released (their holder died); returns how many. */
    public int deleteExpired() {
        return jdbc.update("DELETE FROM gateway_refresh_leases WHERE expires_at <= clock_timestamp()");
    }
}
