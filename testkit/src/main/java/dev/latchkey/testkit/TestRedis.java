package dev.latchkey.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis for tests: {@code LATCHKEY_TEST_REDIS_URL}, default {@code redis://127.0.0.1:6379}.
 * If it cannot be reached the test fails when {@code CI=true} and is skipped, loudly, elsewhere.
 * Every test works under its own key prefix ({@link #keyPrefix()}) and cleans up what it wrote.
 */
public final class TestRedis {
    public static final String ENV = "LATCHKEY_TEST_REDIS_URL";

    private TestRedis() {
    }

    public static String url() {
        String u = System.getenv(ENV);
        return u == null || u.isBlank() ? "redis://127.0.0.1:6379" : u;
    }

    /** Checks that Redis answers; fails in CI, skips (with a message on stderr) elsewhere. */
    public static String requireReachable() {
        String url = url();
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(uri);
        try (var conn = client.connect()) {
            conn.sync().ping();
            return url;
        } catch (RuntimeException e) {
            String msg = "Redis is not reachable at " + url + ": " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + " (CI=true: Redis tests must run)", e);
            }
            System.err.println("*** SKIPPING Redis test: " + msg + " ***");
            Assumptions.abort(msg);
            return null;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    public static String keyPrefix() {
        return "lk-test:" + UUID.randomUUID() + ":";
    }
}
