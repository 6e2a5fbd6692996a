package dev.latchkey.testkit.memory;

import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.LoginThrottle;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Failed sign-in streaks in memory, with the same rules as the PostgreSQL store. */
public final class MemoryLoginThrottle implements LoginThrottle {
    private record Row(int failures, Instant last, Instant lockedUntil) {
    }

    private final Map<String, Row> rows = new HashMap<>();

    @Override
    public synchronized State state(String key, Instant now) {
        Row r = rows.get(key);
        return r == null ? State.CLEAR : new State(r.failures(), r.lockedUntil());
    }

    @Override
    public synchronized State recordFailure(String key, Instant now, LockoutPolicy policy) {
        Row r = rows.get(key);
        int n = r == null || r.last().isBefore(now.minus(policy.resetAfter())) ? 1 : r.failures() + 1;
        java.time.Duration lock = policy.lockFor(n);
        Row next = new Row(n, now, lock.isZero() ? null : now.plus(lock));
        rows.put(key, next);
        return new State(n, next.lockedUntil());
    }

    @Override
    public synchronized void reset(String key) {
        rows.remove(key);
    }
}
