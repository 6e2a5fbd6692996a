package dev.latchkey.core.session;

import java.time.Duration;
import java.util.Objects;

/**
 * Session lifetimes. Browser (hosted-login SSO) and API (first-party token) sessions each have an
 * idle timeout, moved forward by activity, and an absolute one that nothing extends. A refresh
 * token replaced less than {@code refreshGrace} ago is never taken for theft: the one just replaced
 * gets the same successor again, an older one is refused as stale (see {@code RotationHistory}).
 */
public record SessionPolicy(
        Duration browserIdle,
        Duration browserAbsolute,
        Duration apiIdle,
        Duration apiAbsolute,
        Duration refreshGrace) {

    public SessionPolicy {
        Objects.requireNonNull(browserIdle, "browserIdle");
        Objects.requireNonNull(browserAbsolute, "browserAbsolute");
        Objects.requireNonNull(apiIdle, "apiIdle");
        Objects.requireNonNull(apiAbsolute, "apiAbsolute");
        Objects.requireNonNull(refreshGrace, "refreshGrace");
        if (browserIdle.compareTo(browserAbsolute) > 0 || apiIdle.compareTo(apiAbsolute) > 0) {
            throw new IllegalArgumentException("an idle timeout cannot exceed its absolute timeout");
        }
        if (refreshGrace.isNegative() || refreshGrace.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the refresh grace window must be between 0 and 60 s");
        }
    }
}
