package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.LoginThrottle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgLoginThrottleTest {
    static StoreFixture fx;
    static final LockoutPolicy POLICY = new LockoutPolicy(5, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofHours(1));

    @BeforeAll
    static void db() {
        fx = new StoreFixture();
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    @Test
    void locksAfterThresholdWithExponentialBackOffUpToTheCap() {
        String key = UUID.randomUUID().toString();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 1; i <= 4; i++) {
            LoginThrottle.State s = fx.throttle.recordFailure(key, now, POLICY);
            assertThat(s.failures()).isEqualTo(i);
            assertThat(s.lockedAt(now)).isFalse();
        }
        assertThat(fx.throttle.recordFailure(key, now, POLICY).lockedUntil()).isEqualTo(now.plusSeconds(2));
        assertThat(fx.throttle.recordFailure(key, now, POLICY).lockedUntil()).isEqualTo(now.plusSeconds(4));
        assertThat(fx.throttle.recordFailure(key, now, POLICY).lockedUntil()).isEqualTo(now.plusSeconds(8));
        for (int i = 0; i < 40; i++) {
            fx.throttle.recordFailure(key, now, POLICY);
        }
        assertThat(fx.throttle.state(key, now).lockedUntil()).isEqualTo(now.plus(Duration.ofMinutes(15)));
        assertThat(POLICY.lockFor(47)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aStaleStreakStartsOverAndResetClears() {
        String key = UUID.randomUUID().toString();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 4; i++) {
            fx.throttle.recordFailure(key, now, POLICY);
        }
        Instant later = now.plus(Duration.ofHours(2));
        assertThat(fx.throttle.recordFailure(key, later, POLICY).failures()).isEqualTo(1);
        fx.throttle.reset(key);
        assertThat(fx.throttle.state(key, later)).isEqualTo(LoginThrottle.State.CLEAR);
    }

    @Test
    void concurrentFailuresAreAllCounted() throws Exception {
        String key = UUID.randomUUID().toString();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        List<Integer> counts = RefreshRotationTest.race(40, () -> fx.throttle.recordFailure(key, now, POLICY).failures());
        assertThat(counts).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
        assertThat(fx.throttle.state(key, now).failures()).isEqualTo(40);
        assertThat(fx.throttle.state(key, now).lockedUntil()).isEqualTo(now.plus(POLICY.lockFor(40)));
    }
}
