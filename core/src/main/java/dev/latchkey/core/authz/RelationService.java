package dev.latchkey.core.authz;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.authz.engine.CachedTupleReader;
import dev.latchkey.core.authz.engine.CompiledModel;
import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.authz.engine.RelationEngine;
import dev.latchkey.core.authz.engine.TupleChecks;
import dev.latchkey.core.authz.engine.TupleReader;
import dev.latchkey.core.authz.engine.UsersetTree;
import dev.latchkey.core.authz.model.AuthorizationModel;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.Ulid;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Relationship-based authorization (Zanzibar-style, OpenFGA-compatible): stores, versioned immutable models, tuple
 * writes, and the queries. Parses nothing from HTTP: callers hand it parsed models and tuples. Each query runs on
 * the model it names or the store's latest, over the stored tuples (cached for {@code MINIMIZE_LATENCY}, straight
 * from the store for {@code HIGHER_CONSISTENCY}) plus its contextual tuples.
 */
public final class RelationService {
    private final RelationStore store;
    private final ConditionEvaluator conditions;
    private final RelationEngine engine;
    private final Clock clock;
    private final CachedTupleReader cachedReader;
    private final Cache<String, CompiledModel> models = Caffeine.newBuilder().maximumSize(1_000).build();
    private final Cache<String, String> latest;

    /**
     * @param cacheTtl how long {@code MINIMIZE_LATENCY} queries may use tuples read before (0: never cached)
     */
    public RelationService(RelationStore store, ConditionEvaluator conditions, Limits limits, Clock clock, Duration cacheTtl) {
        this.store = Objects.requireNonNull(store, "store");
        this.conditions = Objects.requireNonNull(conditions, "conditions");
        this.engine = new RelationEngine(limits);
        this.clock = Objects.requireNonNull(clock, "clock");
        Duration ttl = cacheTtl.isZero() ? Duration.ofNanos(1) : cacheTtl;
        this.cachedReader = new CachedTupleReader(store, ttl, 200_000);
        this.latest = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
    }

    public Limits limits() {
        return engine.limits();
    }

    // ---- stores

    public FgaStore createStore(String name, Optional<UUID> orgId) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw invalid("store name must be 1-64 characters");
        }
        return store.createStore(Ulid.next(clock), name, orgId, clock.instant());
    }

    public FgaStore store(String id) {
        if (!Ulid.valid(id)) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "invalid store id '" + shorten(id) + "' (a ULID)", "bad store id");
        }
        return store.store(id).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.FGA_STORE_NOT_FOUND, "store '" + id + "' not found",
                "unknown store"));
    }

    public Page<FgaStore> stores(int pageSize, String token, Optional<String> name) {
        return store.stores(pageSize(pageSize), token, name);
    }

    public void deleteStore(String id) {
        store(id);
        store.deleteStore(id);
        cachedReader.invalidate(id);
        latest.invalidate(id);
    }

    // ---- models

    /** Validates (conditions compiled), gives the model a new id and stores it as the store's latest. */
    public String writeModel(String storeId, AuthorizationModel model) {
        store(storeId);
        AuthorizationModel withId = model.withId(Ulid.next(clock));
        CompiledModel compiled = CompiledModel.of(withId, conditions);
        store.saveModel(storeId, new StoredModel(withId, clock.instant()));
        models.put(storeId + "/" + withId.id(), compiled);
        latest.invalidate(storeId);
        return withId.id();
    }

    public StoredModel model(String storeId, String modelId) {
        store(storeId);
        return store.model(storeId, modelId).orElseThrow(() -> modelNotFound(modelId));
    }

    public Page<StoredModel> models(String storeId, int pageSize, String token) {
        store(storeId);
        return store.models(storeId, pageSize(pageSize), token);
    }

    /** The named model, or the store's latest (looked up again for {@code HIGHER_CONSISTENCY}). */
    public CompiledModel compiled(String storeId, Optional<String> modelId, Consistency consistency) {
        store(storeId);
        String id = modelId.filter(s -> !s.isEmpty()).orElseGet(() -> {
            String cached = consistency == Consistency.HIGHER_CONSISTENCY ? null : latest.getIfPresent(storeId);
            if (cached != null) {
                return cached;
            }
            StoredModel m = store.latestModel(storeId).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.FGA_LATEST_MODEL_NOT_FOUND,
                    "No authorization model found for store '" + storeId + "'", "no model"));
            models.get(storeId + "/" + m.model().id(), k -> CompiledModel.of(m.model(), conditions));
            latest.put(storeId, m.model().id());
            return m.model().id();
        });
        return models.get(storeId + "/" + id, k -> CompiledModel.of(store.model(storeId, id).orElseThrow(() -> modelNotFound(id)).model(),
                conditions));
    }

    // ---- tuples

    /** Deletes and writes in one transaction; a conflict (existing write, missing delete) fails all of it. */
    public void write(String storeId, Optional<String> modelId, List<RelationTuple> writes, boolean ignoreDuplicates,
                      List<RelationTuple> deletes, boolean ignoreMissing) {
        store(storeId);
        int n = writes.size() + deletes.size();
        if (n == 0) {
            throw invalid("the write request has neither writes nor deletes");
        }
        if (n > limits().maxWrites()) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_ENTITY_LIMIT, "The number of write operations exceeds the allowed limit of "
                    + limits().maxWrites(), "too many writes");
        }
        Set<String> keys = new HashSet<>();
        for (RelationTuple t : writes) {
            if (!keys.add(t.key())) {
                throw invalid("duplicate tuple in write: '" + t.key() + "'");
            }
        }
        for (RelationTuple t : deletes) {
            if (!keys.add(t.key())) {
                throw invalid("duplicate tuple in write or delete: '" + t.key() + "'");
            }
        }
        if (!writes.isEmpty()) {
            CompiledModel model = compiled(storeId, modelId, Consistency.HIGHER_CONSISTENCY);
            writes.forEach(t -> TupleChecks.writable(model, t));
        }
        WriteOutcome outcome = store.write(storeId, writes, ignoreDuplicates, deletes, ignoreMissing, clock.instant());
        cachedReader.invalidate(storeId);
        switch (outcome) {
            case WriteOutcome.Written w -> { }
            case WriteOutcome.Duplicate d -> throw LatchkeyException.withMessage(ErrorCode.FGA_WRITE_FAILED, "cannot write a tuple which already exists: "
                    + describe(d.tuple()), "duplicate write");
            case WriteOutcome.Missing m -> throw LatchkeyException.withMessage(ErrorCode.FGA_WRITE_FAILED, "cannot delete a tuple which does not exist: "
                    + describe(m.tuple()), "missing delete");
        }
    }

    public Page<StoredTuple> read(String storeId, TupleFilter filter, int pageSize, String token) {
        store(storeId);
        return store.read(storeId, filter, pageSize(pageSize), token);
    }

    public Page<TupleChange> changes(String storeId, Optional<String> type, Optional<java.time.Instant> startTime, int pageSize, String token) {
        store(storeId);
        return store.changes(storeId, type, startTime, pageSize(pageSize), token);
    }

    // ---- queries

    /** What every query carries besides its question. */
    public record Query(String store, Optional<String> modelId, List<RelationTuple> contextual, ConditionContext context, Consistency consistency) {
        public Query {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(modelId, "modelId");
            contextual = List.copyOf(contextual);
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(consistency, "consistency");
        }

        public static Query of(String store) {
            return new Query(store, Optional.empty(), List.of(), ConditionContext.EMPTY, Consistency.UNSPECIFIED);
        }
    }

    public boolean check(Query q, ObjectRef object, String relation, User user) {
        RelationEngine.Scope s = scope(q);
        TupleChecks.relation(s.model(), object.type(), relation);
        TupleChecks.user(s.model(), user);
        return engine.check(s, object, relation, user);
    }

    /** One check of a batch. */
    public record BatchItem(String correlationId, ObjectRef object, String relation, User user, List<RelationTuple> contextual,
                            ConditionContext context) {
    }

    /** A batch item's answer: allowed or not, or the error that check alone would have raised. */
    public sealed interface BatchResult {
        record Allowed(boolean allowed) implements BatchResult {
        }

        record Failed(LatchkeyException error) implements BatchResult {
        }
    }

    /** Runs the checks concurrently (virtual threads); each answers for itself. */
    public Map<String, BatchResult> batchCheck(Query q, List<BatchItem> items) {
        if (items.isEmpty()) {
            throw invalid("batch check needs at least one check");
        }
        if (items.size() > limits().maxBatchChecks()) {
            throw invalid("batch check takes at most " + limits().maxBatchChecks() + " checks");
        }
        Set<String> ids = new HashSet<>();
        for (BatchItem i : items) {
            if (i.correlationId() == null || i.correlationId().isEmpty() || i.correlationId().length() > 36) {
                throw invalid("each check needs a correlation_id of 1-36 characters");
            }
            if (!ids.add(i.correlationId())) {
                throw invalid("duplicate correlation_id '" + i.correlationId() + "'");
            }
        }
        CompiledModel model = compiled(q.store(), q.modelId(), q.consistency());
        Query pinned = new Query(q.store(), Optional.of(model.id()), q.contextual(), q.context(), q.consistency());
        Map<String, BatchResult> out = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<BatchResult>> futures = new ArrayList<>();
            for (BatchItem i : items) {
                Query one = new Query(pinned.store(), pinned.modelId(), concat(q.contextual(), i.contextual()), i.context(), q.consistency());
                futures.add(pool.submit(() -> {
                    try {
                        return new BatchResult.Allowed(check(one, i.object(), i.relation(), i.user()));
                    } catch (LatchkeyException e) {
                        return new BatchResult.Failed(e);
                    }
                }));
            }
            for (int k = 0; k < items.size(); k++) {
                out.put(items.get(k).correlationId(), futures.get(k).get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw LatchkeyException.wrap(ErrorCode.SERVICE_UNAVAILABLE, "batch check interrupted", e);
        } catch (ExecutionException e) {
            throw LatchkeyException.wrap(ErrorCode.INTERNAL, "batch check", e.getCause());
        }
        return out;
    }

    public UsersetTree expand(Query q, ObjectRef object, String relation) {
        return engine.expand(scope(q), object, relation);
    }

    public List<String> listObjects(Query q, String type, String relation, User user) {
        RelationEngine.Scope s = scope(q);
        TupleChecks.relation(s.model(), type, relation);
        TupleChecks.user(s.model(), user);
        return engine.listObjects(s, type, relation, user);
    }

    public List<User> listUsers(Query q, ObjectRef object, String relation, String filterType, String filterRelation) {
        RelationEngine.Scope s = scope(q);
        TupleChecks.relation(s.model(), object.type(), relation);
        if (filterRelation != null && !filterRelation.isEmpty() && s.model().model().relation(filterType, filterRelation).isEmpty()) {
            throw invalid("relation '" + filterType + "#" + filterRelation + "' not found");
        }
        return engine.listUsers(s, object, relation, filterType, filterRelation);
    }

    private RelationEngine.Scope scope(Query q) {
        CompiledModel model = compiled(q.store(), q.modelId(), q.consistency());
        if (q.contextual().size() > limits().maxContextual()) {
            throw invalid("at most " + limits().maxContextual() + " contextual tuples");
        }
        Set<String> keys = new HashSet<>();
        for (RelationTuple t : q.contextual()) {
            if (!keys.add(t.key())) {
                throw invalid("duplicate contextual tuple in request: '" + t.key() + "'");
            }
            TupleChecks.writable(model, t);
        }
        TupleReader reader = q.consistency() == Consistency.HIGHER_CONSISTENCY ? store : cachedReader;
        return new RelationEngine.Scope(q.store(), model, reader, q.contextual(), q.context());
    }

    private static List<RelationTuple> concat(List<RelationTuple> a, List<RelationTuple> b) {
        if (a.isEmpty()) {
            return b;
        }
        List<RelationTuple> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static int pageSize(int requested) {
        if (requested < 0 || requested > 100) {
            throw invalid("page_size must be between 1 and 100");
        }
        return requested == 0 ? 50 : requested;
    }

    private static String describe(RelationTuple t) {
        return "user: '" + t.user() + "', relation: '" + t.relation() + "', object: '" + t.object() + "'";
    }

    private static LatchkeyException modelNotFound(String id) {
        return LatchkeyException.withMessage(ErrorCode.FGA_MODEL_NOT_FOUND, "Authorization Model '" + shorten(id) + "' not found", "unknown model");
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static LatchkeyException invalid(String message) {
        return LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, message, "relations: " + message);
    }
}
