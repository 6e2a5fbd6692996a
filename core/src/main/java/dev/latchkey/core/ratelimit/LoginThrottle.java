package dev.latchkey.core.ratelimit;

import java.time.Instant;

/**
 * Failed sign-in counters per identifier (a keyed hash of the normalised e-mail, whether or not
 * an account exists, so that lockout reveals nothing). Every update is one atomic statement.
 */
public interface LoginThrottle {
    /** The state of one identifier. */
    record State(int failures, Instant lockedUntil) {
        public static final State CLEAR = new State(0, null);

        public boolean lockedAt(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    State state(String key, Instant now);

    /** Counts one failure atomically and returns the new state (locked when the policy says so). */
    State recordFailure(String key, Instant now, LockoutPolicy policy);

    void reset(String key);
}
