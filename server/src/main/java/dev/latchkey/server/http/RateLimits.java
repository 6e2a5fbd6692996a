package dev.latchkey.server.http;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;

/** Applies a rate limit to a request: 429 with Retry-After when the bucket is empty. */
public final class RateLimits {
    private final RateLimiter limiter;
    private final boolean enabled;

    public RateLimits(RateLimiter limiter, boolean enabled) {
        this.limiter = limiter;
        this.enabled = enabled;
    }

    public void check(String bucket, String key, RateLimit limit) {
        if (!enabled || key == null) {
            return;
        }
        if (limiter.consume(bucket, key, limit) instanceof RateLimiter.Limited l) {
            long seconds = Math.max(1, (l.retryAfter().toMillis() + 999) / 1000);
            throw LatchkeyException.retryAfter(ErrorCode.RATE_LIMITED, seconds, "rate limit " + bucket);
        }
    }
}
