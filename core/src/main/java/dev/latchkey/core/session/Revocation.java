package dev.latchkey.core.session;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One entry of the revocation log: what downstream services (and other nodes' caches) must stop
 * trusting. {@code seq} orders entries; consumers resume after the last one they saw. A
 * {@link Kind#ROLES_CHANGED} entry names the organization and the member's new roles and permissions
 * there ({@code null} for the other kinds).
 */
public record Revocation(long seq, Kind kind, UUID userId, UUID sessionId, Integer securityVersion, Instant at,
                         UUID orgId, List<String> roles, List<String> permissions) {
    public Revocation(long seq, Kind kind, UUID userId, UUID sessionId, Integer securityVersion, Instant at) {
        this(seq, kind, userId, sessionId, securityVersion, at, null, null, null);
    }

    /** What was revoked. */
    public enum Kind {
        /** One session (and the tokens of it). */
        SESSION,
        /** Every token of the user issued under an older security version. */
        USER_VERSION,
        USER_DISABLED,
        USER_DELETED,
        /** A member's roles in an organization changed: tokens with a role or permission not in the new ones are revoked. */
        ROLES_CHANGED,
        /** A service account was disabled or deleted ({@code userId} holds its id): every token of it issued up to then is refused. */
        SERVICE_ACCOUNT_DISABLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
