package dev.latchkey.core.authz.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * What one query may cost before it is refused with a clear error (or, for lists, cut short).
 *
 * @param maxDepth          nested lookups along one path (OpenFGA's resolution depth, default 25):
 *                          {@code authorization_model_resolution_too_complex}
 * @param maxDispatches     lookups one check may make (fan-out): {@code resolution_fan_out_exceeded}
 * @param maxListDispatches lookups one list-objects or list-users request may make, over all its candidates
 * @param deadline          time one query may take: {@code deadline_exceeded} (a list answers what it has found)
 * @param maxListResults    objects or users a list answer holds (OpenFGA's default 1,000)
 * @param maxBatchChecks    checks in one batch-check (OpenFGA's default 50)
 * @param maxWrites         writes plus deletes in one write request (OpenFGA's default 100)
 * @param maxContextual     contextual tuples in one query (OpenFGA's 100)
 */
public record Limits(int maxDepth, int maxDispatches, int maxListDispatches, Duration deadline, int maxListResults,
                     int maxBatchChecks, int maxWrites, int maxContextual) {
    public static final Limits DEFAULTS = new Limits(25, 10_000, 200_000, Duration.ofSeconds(3), 1_000, 50, 100, 100);

    public Limits {
        Objects.requireNonNull(deadline, "deadline");
        if (maxDepth < 1 || maxDispatches < 1 || maxListDispatches < 1 || maxListResults < 1 || maxBatchChecks < 1 || maxWrites < 1
                || maxContextual < 0 || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public Limits withMaxListResults(int n) {
        return new Limits(maxDepth, maxDispatches, maxListDispatches, deadline, n, maxBatchChecks, maxWrites, maxContextual);
    }

    public Limits withMaxDepth(int n) {
        return new Limits(n, maxDispatches, maxListDispatches, deadline, maxListResults, maxBatchChecks, maxWrites, maxContextual);
    }

    public Limits withMaxDispatches(int n) {
        return new Limits(maxDepth, n, maxListDispatches, deadline, maxListResults, maxBatchChecks, maxWrites, maxContextual);
    }

    public Limits withDeadline(Duration d) {
        return new Limits(maxDepth, maxDispatches, maxListDispatches, d, maxListResults, maxBatchChecks, maxWrites, maxContextual);
    }
}
