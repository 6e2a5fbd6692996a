package dev.latchkey.store.sql;

import dev.latchkey.core.credential.totp.TotpCredential;
import dev.latchkey.core.credential.totp.TotpStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Authenticator-app secrets on PostgreSQL. Spending a time step is one conditional UPDATE on
 * {@code last_step}, so two nodes given the same code accept it once between them.
 */
public final class PgTotpStore implements TotpStore {
    private final Jdbc jdbc;

    public PgTotpStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void putPending(TotpCredential p) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM totp_credentials WHERE user_id = ? AND confirmed_at IS NULL", p.userId());
            Jdbc.update(c, "INSERT INTO totp_credentials (id, user_id, secret, created_at, confirmed_at, last_step) VALUES (?, ?, ?, ?, NULL, ?)",
                    p.id(), p.userId(), p.sealedSecret(), p.createdAt(), p.lastStep());
            return null;
        });
    }

    @Override
    public Optional<TotpCredential> find(UUID userId, boolean confirmed) {
        return jdbc.queryOne("SELECT * FROM totp_credentials WHERE user_id = ? AND (confirmed_at IS NOT NULL) = ?", PgTotpStore::map,
                userId, confirmed);
    }

    @Override
    public boolean confirm(UUID id, long step, Instant now) {
        // the partial unique index refuses a second confirmed secret for the user: that is a "no" too
        return jdbc.update("""
                UPDATE totp_credentials t SET confirmed_at = ?, last_step = ?
                WHERE t.id = ? AND t.confirmed_at IS NULL AND t.last_step < ?
                  AND NOT EXISTS (SELECT 1 FROM totp_credentials o WHERE o.user_id = t.user_id AND o.confirmed_at IS NOT NULL)""",
                now, step, id, step) == 1;
    }

    @Override
    public boolean useStep(UUID id, long step) {
        return jdbc.update("UPDATE totp_credentials SET last_step = ? WHERE id = ? AND confirmed_at IS NOT NULL AND last_step < ?",
                step, id, step) == 1;
    }

    @Override
    public boolean remove(UUID userId) {
        return jdbc.query("DELETE FROM totp_credentials WHERE user_id = ? RETURNING confirmed_at IS NOT NULL AS confirmed",
                rs -> rs.getBoolean("confirmed"), userId).contains(true);
    }

    private static TotpCredential map(ResultSet rs) throws SQLException {
        return new TotpCredential(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "user_id"), rs.getBytes("secret"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "confirmed_at"), rs.getLong("last_step"));
    }
}
