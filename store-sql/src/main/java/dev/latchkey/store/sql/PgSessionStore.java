package dev.latchkey.store.sql;

import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionKind;
import dev.latchkey.core.session.SessionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Sessions on PostgreSQL; "active" is decided in the query, joined with the user's current state. */
public final class PgSessionStore implements SessionStore {
    private static final String SELECT_ACTIVE = """
            SELECT s.* FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.revoked_at IS NULL AND s.idle_expires_at > ? AND s.absolute_expires_at > ?
              AND u.status = 'active' AND u.security_version = s.user_version""";

    private final Jdbc jdbc;

    public PgSessionStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(Session s, byte[] cookieHash) {
        jdbc.withConnection(c -> {
            insert(c, s, cookieHash);
            return null;
        });
    }

    static void insert(java.sql.Connection c, Session s, byte[] cookieHash) throws SQLException {
        Jdbc.update(c, """
                INSERT INTO sessions (id, user_id, kind, cookie_hash, user_version, auth_time, amr, client_id, created_at,
                                      last_seen_at, idle_expires_at, absolute_expires_at, user_agent, ip, parent_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                s.id(), s.userId(), s.kind(), cookieHash, s.userVersion(), s.authTime(), s.amr(), s.clientId(),
                s.createdAt(), s.lastSeenAt(), s.idleExpiresAt(), s.absoluteExpiresAt(), s.userAgent(), s.ip(), s.parentId());
    }

    @Override
    public Optional<Session> findActiveByCookie(byte[] cookieHash, Instant now) {
        return jdbc.queryOne(SELECT_ACTIVE + " AND s.cookie_hash = ?", PgSessionStore::map, now, now, cookieHash);
    }

    @Override
    public Optional<Session> findActive(UUID id, Instant now) {
        return jdbc.queryOne(SELECT_ACTIVE + " AND s.id = ?", PgSessionStore::map, now, now, id);
    }

    @Override
    public void touch(UUID id, Instant now, Instant idleExpiresAt) {
        jdbc.update("UPDATE sessions SET last_seen_at = ?, idle_expires_at = GREATEST(idle_expires_at, ?) WHERE id = ? AND revoked_at IS NULL",
                now, idleExpiresAt, id);
    }

    /**
     * Active sessions of a user. An API session's activity is its refresh family's: its idle
     * expiry and last use come from the family, which is what refresh moves forward.
     */
    @Override
    public List<Session> listActive(UUID userId, Instant now) {
        return jdbc.query("""
                SELECT s.id, s.user_id, s.kind, s.user_version, s.auth_time, s.amr, s.client_id, s.created_at,
                       GREATEST(s.last_seen_at, f.last_used) AS last_seen_at,
                       CASE WHEN s.kind = 'browser' THEN s.idle_expires_at ELSE COALESCE(f.idle_until, s.idle_expires_at) END AS idle_expires_at,
                       s.absolute_expires_at, s.revoked_at, s.user_agent, s.ip, s.parent_id
                FROM sessions s JOIN users u ON u.id = s.user_id
                LEFT JOIN LATERAL (SELECT max(last_used_at) AS last_used, max(idle_expires_at) AS idle_until
                                   FROM refresh_families WHERE session_id = s.id AND revoked_at IS NULL) f ON true
                WHERE s.user_id = ? AND s.revoked_at IS NULL AND s.absolute_expires_at > ?
                  AND u.status = 'active' AND u.security_version = s.user_version
                  AND (CASE WHEN s.kind = 'browser' THEN s.idle_expires_at ELSE COALESCE(f.idle_until, s.idle_expires_at) END) > ?
                ORDER BY s.created_at DESC""", PgSessionStore::map, userId, now, now);
    }

    @Override
    public boolean revoke(UUID userId, UUID sessionId, String reason, Instant now) {
        boolean done = jdbc.inTransaction(c -> {
            List<UUID> owner = Jdbc.query(c, "SELECT user_id FROM sessions WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                    rs -> Jdbc.uuid(rs, "user_id"), sessionId, userId);
            return !owner.isEmpty() && SessionRevocation.revokeTree(c, sessionId, reason, now) > 0;
        });
        if (done) {
            jdbc.revocationsCommitted();
        }
        return done;
    }

    @Override
    public int revokeAll(UUID userId, UUID keep, String reason, Instant now) {
        int count = jdbc.inTransaction(c -> {
            // top-level sessions other than the kept one; each takes its children along
            List<UUID> roots = Jdbc.query(c, """
                    SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND parent_id IS NULL
                      AND (?::uuid IS NULL OR id <> ?::uuid)""", rs -> Jdbc.uuid(rs, "id"), userId, keep, keep);
            int n = 0;
            for (UUID id : roots) {
                n += SessionRevocation.revokeTree(c, id, reason, now) > 0 ? 1 : 0;
            }
            // children of the kept session that were started elsewhere stay; orphans of other roots went with them
            return n;
        });
        if (count > 0) {
            jdbc.revocationsCommitted();
        }
        return count;
    }

    static Session map(ResultSet rs) throws SQLException {
        return new Session(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "user_id"), SessionKind.fromWire(rs.getString("kind")),
                rs.getInt("user_version"), Jdbc.instant(rs, "auth_time"), rs.getString("amr"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at"), Jdbc.instant(rs, "idle_expires_at"),
                Jdbc.instant(rs, "absolute_expires_at"), Jdbc.instant(rs, "revoked_at"), rs.getString("client_id"),
                rs.getString("user_agent"), rs.getString("ip"), Jdbc.uuid(rs, "parent_id"));
    }
}
