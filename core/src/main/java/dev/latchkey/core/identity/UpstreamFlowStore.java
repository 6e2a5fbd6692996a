package dev.latchkey.core.identity;

import java.time.Instant;
import java.util.Optional;

/** Storage port for {@link UpstreamFlow}s in progress. */
public interface UpstreamFlowStore {
    void save(UpstreamFlow flow);

    /**
     * Takes the flow of {@code state} if it was started by the browser holding {@code binding}: one atomic
     * delete, so of two concurrent callbacks with the same state at most one gets it. An expired flow is
     * returned (and gone) too, so the caller can say "expired" rather than "unknown".
     */
    Optional<UpstreamFlow> consume(String state, String binding);

    /** Removes flows that expired before {@code now}; returns how many. */
    int purgeExpired(Instant now);
}
