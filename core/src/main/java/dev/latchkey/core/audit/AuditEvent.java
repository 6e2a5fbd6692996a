package dev.latchkey.core.audit;

import dev.latchkey.core.RequestContext;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One append-only audit record. {@code subject} is the identifier the actor presented (a
 * normalised e-mail for sign-in attempts, a client id, a key id); {@code detail} a short reason;
 * {@code orgId} the organization the event is about, if any (events are listed per organization by it).
 * Never a password, token or secret.
 */
public record AuditEvent(
        AuditType type,
        Instant at,
        UUID userId,
        UUID sessionId,
        String subject,
        String clientId,
        String ip,
        String userAgent,
        String traceId,
        String detail,
        UUID orgId) {

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
    }

    /** An event about no organization (the form before {@code orgId}). */
    public AuditEvent(AuditType type, Instant at, UUID userId, UUID sessionId, String subject, String clientId, String ip,
                      String userAgent, String traceId, String detail) {
        this(type, at, userId, sessionId, subject, clientId, ip, userAgent, traceId, detail, null);
    }

    public static Builder of(AuditType type, Instant at, RequestContext ctx) {
        return new Builder(type, at, ctx);
    }

    /** Fills the optional fields of an event fluently. */
    public static final class Builder {
        private final AuditType type;
        private final Instant at;
        private final RequestContext ctx;
        private UUID userId;
        private UUID sessionId;
        private String subject;
        private String clientId;
        private String detail;
        private UUID orgId;

        private Builder(AuditType type, Instant at, RequestContext ctx) {
            this.type = type;
            this.at = at;
            this.ctx = ctx == null ? RequestContext.SYSTEM : ctx;
        }

        public Builder user(UUID id) {
            this.userId = id;
            return this;
        }

        public Builder session(UUID id) {
            this.sessionId = id;
            return this;
        }

        public Builder subject(String s) {
            this.subject = s;
            return this;
        }

        public Builder client(String id) {
            this.clientId = id;
            return this;
        }

        public Builder detail(String d) {
            this.detail = d;
            return this;
        }

        /** The organization the event is about: {@code GET /admin/v1/orgs/{id}/audit} lists it. */
        public Builder org(UUID id) {
            this.orgId = id;
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(type, at, userId, sessionId, subject, clientId, ctx.ip(), ctx.userAgent(), ctx.traceId(), detail, orgId);
        }
    }
}
