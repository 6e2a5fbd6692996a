package dev.latchkey.core.authn;

import java.time.Instant;
import java.util.Objects;

/** One step of a sign-in that succeeded, and when. */
public record CompletedStep(Factor factor, Instant at) {
    public CompletedStep {
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(at, "at");
    }
}
