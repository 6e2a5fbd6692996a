package dev.latchkey.store.sql;

import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.LoginThrottle;
import java.time.Instant;

/**
 * Failed sign-in streaks on PostgreSQL. Counting a failure is one {@code INSERT … ON CONFLICT DO
 * UPDATE … RETURNING}: concurrent failures never lose a count, and the lock decision is taken on
 * the counted value in the same statement.
 */
public final class PgLoginThrottle implements LoginThrottle {
    private final Jdbc jdbc;

    public PgLoginThrottle(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public State state(String key, Instant now) {
        return jdbc.queryOne("SELECT failures, locked_until, last_failure_at FROM login_failures WHERE key = ?",
                rs -> new State(rs.getInt("failures"), Jdbc.instant(rs, "locked_until")), key).orElse(State.CLEAR);
    }

    /** The streak length after this failure: 1 when the last failure is older than the reset window. */
    private static final String NEW_FAILURES = "(CASE WHEN l.last_failure_at < ?::timestamptz THEN 1 ELSE l.failures + 1 END)";
    /** now + min(base * 2^(n - threshold), max), for a streak of n ≥ threshold. */
    private static final String LOCK_UNTIL =
            "?::timestamptz + LEAST(?::bigint * power(2, LEAST(%s - ?::int, 30)), ?::bigint) * interval '1 millisecond'";

    private static final String RECORD = """
            INSERT INTO login_failures AS l (key, failures, last_failure_at, locked_until)
            VALUES (?, 1, ?, CASE WHEN 1 >= ?::int THEN %s ELSE NULL END)
            ON CONFLICT (key) DO UPDATE
               SET failures = %s,
                   last_failure_at = EXCLUDED.last_failure_at,
                   locked_until = CASE WHEN %s >= ?::int THEN %s ELSE NULL END
            RETURNING failures, locked_until""".formatted(
            LOCK_UNTIL.formatted("1"), NEW_FAILURES, NEW_FAILURES, LOCK_UNTIL.formatted(NEW_FAILURES));

    @Override
    public State recordFailure(String key, Instant now, LockoutPolicy policy) {
        Instant staleBefore = now.minus(policy.resetAfter());
        long base = policy.baseLock().toMillis();
        long max = policy.maxLock().toMillis();
        int t = policy.threshold();
        return jdbc.queryOne(RECORD, rs -> new State(rs.getInt("failures"), Jdbc.instant(rs, "locked_until")),
                key, now, t, now, base, t, max,          // VALUES (...)
                staleBefore,                             // failures = …
                staleBefore, t,                          // CASE WHEN new failures >= threshold
                now, base, staleBefore, t, max           // … THEN lock until
        ).orElseThrow();
    }

    @Override
    public void reset(String key) {
        jdbc.update("DELETE FROM login_failures WHERE key = ?", key);
    }
}
