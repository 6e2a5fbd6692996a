package dev.latchkey.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Account lockout with exponential back-off: after {@code threshold} consecutive failures the
 * identifier is locked for {@code baseLock}, doubling with each further failure up to
 * {@code maxLock}. A failure streak is forgotten {@code resetAfter} after its last failure.
 */
public record LockoutPolicy(int threshold, Duration baseLock, Duration maxLock, Duration resetAfter) {
    public LockoutPolicy {
        Objects.requireNonNull(baseLock, "baseLock");
        Objects.requireNonNull(maxLock, "maxLock");
        Objects.requireNonNull(resetAfter, "resetAfter");
        if (threshold < 1 || baseLock.isNegative() || baseLock.isZero() || maxLock.compareTo(baseLock) < 0) {
            throw new IllegalArgumentException("invalid lockout policy");
        }
    }

    /** How long the identifier is locked after {@code failures} consecutive failures (zero: not locked). */
    public Duration lockFor(int failures) {
        if (failures < threshold) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - threshold, 30);
        long millis = baseLock.toMillis() << doublings;
        return millis <= 0 || millis > maxLock.toMillis() ? maxLock : Duration.ofMillis(millis);
    }
}
