package dev.latchkey.core.authz;

import dev.latchkey.core.authz.tuple.RelationTuple;
import java.time.Instant;
import java.util.Objects;

/** One entry of a store's change log: a tuple written or deleted, in commit order. */
public record TupleChange(RelationTuple tuple, Operation operation, Instant timestamp) {
    public enum Operation {
        WRITE, DELETE;

        /** OpenFGA's name ({@code TUPLE_OPERATION_WRITE}). */
        public String wireName() {
            return "TUPLE_OPERATION_" + name();
        }
    }

    public TupleChange {
        Objects.requireNonNull(tuple, "tuple");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
