package dev.latchkey.store.sql;

import dev.latchkey.core.key.SigningKeyStore;
import dev.latchkey.core.key.StoredSigningKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Signing keys on PostgreSQL. Rotation runs under a transaction-scoped advisory lock, so of several
 * nodes deciding at the same moment that a rotation is due exactly one inserts the next key. Each
 * algorithm ({@code algorithm} column) rotates on its own: one's rotation never retires another's key.
 */
public final class PgSigningKeyStore implements SigningKeyStore {
    /** Advisory lock id for key rotation ("LKKEYS" in ASCII). */
    private static final long ROTATION_LOCK = 0x4C4B4B455953L;

    private final Jdbc jdbc;

    public PgSigningKeyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<StoredSigningKey> published(Instant now) {
        return jdbc.query("SELECT * FROM signing_keys WHERE retires_at IS NULL OR retires_at > ? ORDER BY activates_at",
                PgSigningKeyStore::map, now);
    }

    @Override
    public List<StoredSigningKey> all() {
        return jdbc.query("SELECT * FROM signing_keys ORDER BY created_at DESC", PgSigningKeyStore::map);
    }

    @Override
    public boolean rotateIfDue(StoredSigningKey next, Instant dueBefore, Instant retireOthersAt) {
        return jdbc.inTransaction(c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> null, ROTATION_LOCK);
            if (!Instant.MAX.equals(dueBefore)) {
                String sql = Instant.MIN.equals(dueBefore)
                        ? "SELECT count(*) FROM signing_keys WHERE algorithm = ? AND (retires_at IS NULL OR retires_at > ?)"
                        : "SELECT count(*) FROM signing_keys WHERE algorithm = ? AND (retires_at IS NULL OR retires_at > ?) AND created_at >= ?";
                Object[] params = Instant.MIN.equals(dueBefore) ? new Object[] {next.algorithm(), next.createdAt()}
                        : new Object[] {next.algorithm(), next.createdAt(), dueBefore};
                long fresh = Jdbc.query(c, sql, rs -> rs.getLong(1), params).get(0);
                if (fresh > 0) {
                    return false;
                }
            }
            Jdbc.update(c, "UPDATE signing_keys SET retires_at = ? WHERE algorithm = ? AND (retires_at IS NULL OR retires_at > ?) AND kid <> ?",
                    retireOthersAt, next.algorithm(), retireOthersAt, next.kid());
            Jdbc.update(c, """
                    INSERT INTO signing_keys (kid, algorithm, public_jwk, private_key, created_at, activates_at, retires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", next.kid(), next.algorithm(), next.publicJwk(), next.sealedPrivateKey(),
                    next.createdAt(), next.activatesAt(), next.retiresAt());
            return true;
        });
    }

    @Override
    public boolean retire(String kid, Instant at) {
        return jdbc.update("UPDATE signing_keys SET retires_at = ? WHERE kid = ? AND (retires_at IS NULL OR retires_at > ?)",
                at, kid, at) == 1;
    }

    static StoredSigningKey map(ResultSet rs) throws SQLException {
        return new StoredSigningKey(rs.getString("kid"), rs.getString("algorithm"), rs.getString("public_jwk"),
                rs.getBytes("private_key"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "activates_at"),
                Jdbc.instant(rs, "retires_at"));
    }
}
