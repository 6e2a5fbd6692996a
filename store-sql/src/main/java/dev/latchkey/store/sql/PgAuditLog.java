package dev.latchkey.store.sql;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit events, stored append-only (a trigger refuses UPDATE, DELETE and TRUNCATE) and written as
 * a log line on the {@code latchkey.audit} logger, whose fields become JSON keys.
 */
public final class PgAuditLog implements AuditSink, dev.latchkey.core.audit.AuditTrail {
    private static final Logger AUDIT = LoggerFactory.getLogger("latchkey.audit");

    private final Jdbc jdbc;

    public PgAuditLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(AuditEvent e) {
        jdbc.update("""
                INSERT INTO audit_events (at, type, user_id, session_id, subject, client_id, ip, user_agent, trace_id, detail, org_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", e.at(), e.type().wireName(), e.userId(), e.sessionId(),
                e.subject(), e.clientId(), e.ip(), e.userAgent(), e.traceId(), e.detail(), e.orgId());
        var line = AUDIT.atInfo().setMessage("audit {}").addArgument(e.type().wireName()).addKeyValue("audit_type", e.type().wireName());
        keyValue(line, "user_id", e.userId());
        keyValue(line, "session_id", e.sessionId());
        keyValue(line, "subject", e.subject());
        keyValue(line, "client_id", e.clientId());
        keyValue(line, "ip", e.ip());
        keyValue(line, "detail", e.detail());
        keyValue(line, "org_id", e.orgId());
        line.log();
    }

    private static void keyValue(org.slf4j.spi.LoggingEventBuilder line, String key, Object value) {
        if (value != null) {
            line.addKeyValue(key, value.toString());
        }
    }

    /** Recent events, newest first, optionally of one user and/or one type. */
    public List<AuditEvent> recent(UUID userId, AuditType type, int limit) {
        return jdbc.query("""
                SELECT * FROM audit_events WHERE (?::uuid IS NULL OR user_id = ?::uuid) AND (?::text IS NULL OR type = ?::text)
                ORDER BY id DESC LIMIT ?""", PgAuditLog::event, userId, userId, type == null ? null : type.wireName(),
                type == null ? null : type.wireName(), limit);
    }

    @Override
    public List<Entry> ofOrg(UUID orgId, Long before, int limit) {
        return jdbc.query("SELECT * FROM audit_events WHERE org_id = ? AND id < coalesce(?::bigint, 9223372036854775807) ORDER BY id DESC LIMIT ?",
                rs -> new Entry(rs.getLong("id"), event(rs)), orgId, before, limit);
    }

    private static AuditEvent event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AuditEvent(AuditType.valueOf(rs.getString("type").toUpperCase(Locale.ROOT)),
                Jdbc.instant(rs, "at"), Jdbc.uuid(rs, "user_id"), Jdbc.uuid(rs, "session_id"), rs.getString("subject"),
                rs.getString("client_id"), rs.getString("ip"), rs.getString("user_agent"), rs.getString("trace_id"),
                rs.getString("detail"), Jdbc.uuid(rs, "org_id"));
    }

}
