package dev.latchkey.core.credential;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.LoginThrottle;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Failed second-factor attempts per user, on the same lockout-with-back-off store as passwords (a
 * separate key space: a keyed hash of {@code "mfa:" + user id}). Six digits are guessable in bulk,
 * so every code factor of a user shares one streak, and a lock stops all of them.
 */
public final class FactorAttempts {
    private final LoginThrottle throttle;
    private final LockoutPolicy policy;
    private final AuditSink audit;
    private final Hmac key;

    public FactorAttempts(LoginThrottle throttle, LockoutPolicy policy, AuditSink audit, byte[] key) {
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.key = new Hmac(key);
    }

    /** Seconds until the user's lock ends, or 0 when not locked. */
    public long lockedFor(UUID userId, Instant now) {
        LoginThrottle.State s = throttle.state(key(userId), now);
        return s.lockedAt(now) ? secondsUntil(now, s.lockedUntil()) : 0;
    }

    /** Counts a failure; the check to answer (LOCKED once the streak reaches the policy's threshold). */
    public FactorCheck failed(UUID userId, FactorCheck.Status status, Instant now, RequestContext ctx) {
        LoginThrottle.State after = throttle.recordFailure(key(userId), now, policy);
        if (after.lockedAt(now)) {
            audit.record(AuditEvent.of(AuditType.MFA_LOCKED, now, ctx).user(userId)
                    .detail("second factor locked after " + after.failures() + " failures").build());
        }
        return new FactorCheck(status, -1);
    }

    public void succeeded(UUID userId, Instant now) {
        if (throttle.state(key(userId), now).failures() > 0) {
            throttle.reset(key(userId));
        }
    }

    private String key(UUID userId) {
        return "mfa:" + HexFormat.of().formatHex(key.sign("mfa:" + userId), 0, 20);
    }

    private static long secondsUntil(Instant now, Instant until) {
        return Math.max(1, Duration.between(now, until).toMillis() / 1000 + 1);
    }
}
