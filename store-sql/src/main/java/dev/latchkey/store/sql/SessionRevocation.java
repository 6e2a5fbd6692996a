package dev.latchkey.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Ends a session and every session descended from it (OAuth grants started from a browser
 * session), with their refresh-token families, and logs each in the revocation log — inside the
 * caller's transaction.
 */
final class SessionRevocation {
    private SessionRevocation() {
    }

    /** Returns how many sessions were still active and are now revoked. */
    static int revokeTree(Connection c, UUID root, String reason, Instant now) throws SQLException {
        List<UUID[]> ended = Jdbc.query(c, """
                WITH RECURSIVE tree AS (
                    SELECT id FROM sessions WHERE id = ?
                    UNION ALL
                    SELECT s.id FROM sessions s JOIN tree t ON s.parent_id = t.id)
                UPDATE sessions SET revoked_at = ?, revoke_reason = ?
                 WHERE id IN (SELECT id FROM tree) AND revoked_at IS NULL
                RETURNING id, user_id""", rs -> new UUID[] {Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "user_id")}, root, now, reason);
        for (UUID[] s : ended) {
            Jdbc.update(c, "UPDATE refresh_families SET revoked_at = ?, revoke_reason = ? WHERE session_id = ? AND revoked_at IS NULL",
                    now, reason, s[0]);
            Revocations.session(c, s[1], s[0], now);
        }
        return ended.size();
    }
}
