package dev.latchkey.core.ratelimit;

import java.time.Duration;

/**
 * Counts requests per key in a named bucket. In-process on one node, Redis-backed when Redis is
 * configured so that every node shares the same counters.
 */
public interface RateLimiter {
    /** Outcome of one request against a limit. */
    sealed interface Decision permits Allowed, Limited {
    }

    record Allowed() implements Decision {
    }

    record Limited(Duration retryAfter) implements Decision {
    }

    Decision consume(String bucket, String key, RateLimit limit);
}
