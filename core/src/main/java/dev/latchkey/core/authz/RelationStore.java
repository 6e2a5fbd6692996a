package dev.latchkey.core.authz;

import dev.latchkey.core.authz.engine.TupleReader;
import dev.latchkey.core.authz.tuple.RelationTuple;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port of the relation engine: stores, immutable models, tuples and their change log. A write is one
 * transaction: all of it applies or none; the change log gets its entries in commit order, so a reader that has
 * seen change N and asks for what follows misses nothing.
 */
public interface RelationStore extends TupleReader {
    FgaStore createStore(String id, String name, Optional<UUID> orgId, Instant now);

    Optional<FgaStore> store(String id);

    Page<FgaStore> stores(int pageSize, String continuationToken, Optional<String> name);

    /** Deletes the store with its models, tuples and changes; false when it did not exist. */
    boolean deleteStore(String id);

    void saveModel(String store, StoredModel model);

    Optional<StoredModel> model(String store, String modelId);

    /** The newest model of the store. */
    Optional<StoredModel> latestModel(String store);

    /** Models, newest first. */
    Page<StoredModel> models(String store, int pageSize, String continuationToken);

    /**
     * Deletes then writes, in one transaction. With {@code ignoreDuplicates} a write of a tuple that exists with the
     * same condition is skipped (with another condition it is a {@link WriteOutcome.Duplicate}); with
     * {@code ignoreMissing} a delete of a tuple that does not exist is skipped.
     */
    WriteOutcome write(String store, List<RelationTuple> writes, boolean ignoreDuplicates, List<RelationTuple> deletes, boolean ignoreMissing,
                       Instant now);

    Page<StoredTuple> read(String store, TupleFilter filter, int pageSize, String continuationToken);

    /**
     * Changes after the continuation token (from the start when empty), oldest first, optionally of one object type
     * and from a time on. The token of the answer continues after its last change; with no change, it is the token
     * given (or, from the start, one for the current end).
     */
    Page<TupleChange> changes(String store, Optional<String> objectType, Optional<Instant> startTime, int pageSize, String continuationToken);
}
