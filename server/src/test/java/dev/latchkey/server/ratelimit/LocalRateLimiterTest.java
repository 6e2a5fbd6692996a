package dev.latchkey.server.ratelimit;

import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.testkit.contract.RateLimiterContract;

class LocalRateLimiterTest extends RateLimiterContract {
    @Override
    protected RateLimiter limiter() {
        return new LocalRateLimiter(10_000);
    }
}
