package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

/**
 * One query's evaluation state: the store, the compiled model, what to read tuples from (with the request's
 * contextual tuples), the request's condition context, and the budget (depth, lookups, deadline). Not shared
 * between threads.
 */
final class Resolution {
    final String store;
    final CompiledModel model;
    final TupleReader reader;
    final ConditionContext context;
    final Limits limits;
    private final int budget;
    private final long deadline;
    private int dispatches;

    Resolution(String store, CompiledModel model, TupleReader reader, ConditionContext context, Limits limits, int budget, long deadline) {
        this.store = store;
        this.model = model;
        this.reader = reader;
        this.context = context;
        this.limits = limits;
        this.budget = budget;
        this.deadline = deadline;
    }

    /** The same request's state with a fresh lookup budget (one candidate of a list), sharing the deadline. */
    Resolution forCandidate() {
        return new Resolution(store, model, reader, context, limits, limits.maxDispatches(), deadline);
    }

    /** Counts one lookup; refuses when the query is too deep, too wide or too slow. */
    void step(int depth) {
        if (depth > limits.maxDepth()) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_TOO_COMPLEX,
                    "The query needs more than " + limits.maxDepth() + " nested lookups (resolution depth limit).", "depth limit");
        }
        if (++dispatches > budget) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_FAN_OUT,
                    "The query needs more than " + budget + " lookups (fan-out limit).", "dispatch limit");
        }
        if (System.nanoTime() - deadline > 0) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_DEADLINE,
                    "The query did not finish within " + limits.deadline().toMillis() + " ms.", "deadline");
        }
    }

    boolean pastDeadline() {
        return System.nanoTime() - deadline > 0;
    }
}
