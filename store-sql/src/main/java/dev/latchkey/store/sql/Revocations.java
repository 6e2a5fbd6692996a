package dev.latchkey.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Appends to the revocation log, inside the transaction that revokes (the feed reads it in order). */
final class Revocations {
    private Revocations() {
    }

    static void session(Connection c, UUID userId, UUID sessionId, Instant now) throws SQLException {
        Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id, session_id) VALUES (?, 'session', ?, ?)", now, userId, sessionId);
    }

    static void userVersion(Connection c, UUID userId, int version, Instant now) throws SQLException {
        Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id, security_version) VALUES (?, 'user_version', ?, ?)", now, userId, version);
    }

    static void userDisabled(Connection c, UUID userId, int version, Instant now) throws SQLException {
        Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id, security_version) VALUES (?, 'user_disabled', ?, ?)", now, userId, version);
    }

    static void userDeleted(Connection c, UUID userId, Instant now) throws SQLException {
        Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id) VALUES (?, 'user_deleted', ?)", now, userId);
    }

    /** A member's roles changed: the entry names the member's new roles and their permissions in the organization. */
    static void rolesChanged(Connection c, UUID userId, UUID orgId, java.util.List<String> roles, Instant now) throws SQLException {
        Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id, org_id, roles, permissions) VALUES (?, 'roles_changed', ?, ?, ?, ("
                        + PgRoleStore.PERMISSIONS_SQL + "))",
                now, userId, orgId, c.createArrayOf("text", roles.toArray()), c.createArrayOf("text", roles.toArray()), orgId, orgId);
    }
}
