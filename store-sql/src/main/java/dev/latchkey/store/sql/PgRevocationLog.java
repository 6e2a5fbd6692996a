package dev.latchkey.store.sql;

import dev.latchkey.core.session.Revocation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Reads the revocation log (written by the stores inside the transactions that revoke). Entries become
 * visible in {@code seq} order (migration V3 assigns the final number at commit), so a reader that has
 * seen entry N and reads "after N" misses nothing.
 */
public final class PgRevocationLog {
    private final Jdbc jdbc;

    public PgRevocationLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Revocation> after(long seq, int limit) {
        return jdbc.query("SELECT * FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?", PgRevocationLog::map, seq, limit);
    }

    public List<Revocation> since(Instant at, int limit) {
        return jdbc.query("SELECT * FROM revocations WHERE at >= ? ORDER BY seq LIMIT ?", PgRevocationLog::map, at, limit);
    }

    /**
     * Where to start reading so that every entry made at or after {@code at} follows: one before the
     * oldest such entry, or the head when there is none.
     */
    public long positionBefore(Instant at) {
        return jdbc.queryOne("""
                SELECT COALESCE((SELECT min(seq) - 1 FROM revocations WHERE at >= ?),
                                (SELECT COALESCE(max(seq), 0) FROM revocations))""", rs -> rs.getLong(1), at).orElse(0L);
    }

    /** The newest sequence number (0 when empty). */
    public long head() {
        return jdbc.queryOne("SELECT COALESCE(max(seq), 0) FROM revocations", rs -> rs.getLong(1)).orElse(0L);
    }

    static Revocation map(ResultSet rs) throws SQLException {
        return new Revocation(rs.getLong("seq"), Revocation.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                Jdbc.uuid(rs, "user_id"), Jdbc.uuid(rs, "session_id"), Jdbc.integer(rs, "security_version"), Jdbc.instant(rs, "at"),
                Jdbc.uuid(rs, "org_id"), rs.getArray("roles") == null ? null : PgClientStore.strings(rs, "roles"),
                rs.getArray("permissions") == null ? null : PgClientStore.strings(rs, "permissions"));
    }
}
