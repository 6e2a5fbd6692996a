package dev.latchkey.core.authz;

import dev.latchkey.core.authz.tuple.RelationTuple;

/** How a write transaction ended: everything applied, or nothing because of the first conflicting tuple. */
public sealed interface WriteOutcome {
    record Written(int written, int deleted) implements WriteOutcome {
    }

    /** A tuple to write exists already (with {@code on_duplicate: ignore}: exists with a different condition). */
    record Duplicate(RelationTuple tuple) implements WriteOutcome {
    }

    /** A tuple to delete does not exist (and {@code on_missing} is not {@code ignore}). */
    record Missing(RelationTuple tuple) implements WriteOutcome {
    }
}
