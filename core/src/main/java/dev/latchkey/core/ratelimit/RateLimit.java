package dev.latchkey.core.ratelimit;

import java.time.Duration;
import java.util.Objects;

/** A token bucket: {@code capacity} requests, refilled evenly over {@code period}. */
public record RateLimit(long capacity, Duration period) {
    public RateLimit {
        Objects.requireNonNull(period, "period");
        if (capacity < 1 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a positive capacity and period");
        }
    }
}
