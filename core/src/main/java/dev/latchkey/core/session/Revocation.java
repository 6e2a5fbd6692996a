package dev.latchkey.core.session;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One entry of the revocation log: what downstream services (and other nodes' caches) must stop
 * trusting. {@code seq} orders entries; consumers resume after the last one they saw.
 */
public record Revocation(long seq, Kind kind, UUID userId, UUID sessionId, Integer securityVersion, Instant at) {
    /** What was revoked. */
    public enum Kind {
        /** One session (and the tokens of it). */
        SESSION,
        /** Every token of the user issued under an older security version. */
        USER_VERSION,
        USER_DISABLED,
        USER_DELETED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
