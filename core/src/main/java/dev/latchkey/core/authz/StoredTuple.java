package dev.latchkey.core.authz;

import dev.latchkey.core.authz.tuple.RelationTuple;
import java.time.Instant;
import java.util.Objects;

/** A tuple as read, with the time it was written. */
public record StoredTuple(RelationTuple tuple, Instant timestamp) {
    public StoredTuple {
        Objects.requireNonNull(tuple, "tuple");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
