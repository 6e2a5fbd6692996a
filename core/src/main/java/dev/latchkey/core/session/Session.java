package dev.latchkey.core.session;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A signed-in session. {@code userVersion} is the user's security version when the session began:
 * a session is only alive while it still equals the user's current version. An OAuth grant's
 * session has the browser (SSO) session it came from as {@code parentId}; ending a session ends
 * its children.
 */
public record Session(
        UUID id,
        UUID userId,
        SessionKind kind,
        int userVersion,
        Instant authTime,
        String amr,
        Instant createdAt,
        Instant lastSeenAt,
        Instant idleExpiresAt,
        Instant absoluteExpiresAt,
        Instant revokedAt,
        String clientId,
        String userAgent,
        String ip,
        UUID parentId) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(absoluteExpiresAt, "absoluteExpiresAt");
    }

    public boolean aliveAt(Instant now) {
        return revokedAt == null && idleExpiresAt.isAfter(now) && absoluteExpiresAt.isAfter(now);
    }

    /** The idle expiry after activity at {@code now}, never past the absolute expiry. */
    public Instant nextIdleExpiry(Instant now, java.time.Duration idle) {
        Instant next = now.plus(idle);
        return next.isAfter(absoluteExpiresAt) ? absoluteExpiresAt : next;
    }
}
