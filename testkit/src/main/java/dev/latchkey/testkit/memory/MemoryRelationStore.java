package dev.latchkey.testkit.memory;

import dev.latchkey.core.authz.FgaStore;
import dev.latchkey.core.authz.Page;
import dev.latchkey.core.authz.RelationStore;
import dev.latchkey.core.authz.StoredModel;
import dev.latchkey.core.authz.StoredTuple;
import dev.latchkey.core.authz.TupleChange;
import dev.latchkey.core.authz.TupleFilter;
import dev.latchkey.core.authz.WriteOutcome;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/** The relation store in memory, for engine tests: the same semantics as {@code PgRelationStore}, one lock for all. */
public final class MemoryRelationStore implements RelationStore {
    private final Map<String, FgaStore> stores = new TreeMap<>();
    private final Map<String, List<StoredModel>> models = new LinkedHashMap<>();
    private final Map<String, Map<String, StoredTuple>> tuples = new LinkedHashMap<>();
    private final Map<String, List<TupleChange>> changes = new LinkedHashMap<>();

    @Override
    public synchronized FgaStore createStore(String id, String name, Optional<UUID> orgId, Instant now) {
        FgaStore s = new FgaStore(id, name, orgId, now, now);
        stores.put(id, s);
        models.put(id, new ArrayList<>());
        tuples.put(id, new LinkedHashMap<>());
        changes.put(id, new ArrayList<>());
        return s;
    }

    @Override
    public synchronized Optional<FgaStore> store(String id) {
        return Optional.ofNullable(stores.get(id));
    }

    @Override
    public synchronized Page<FgaStore> stores(int pageSize, String token, Optional<String> name) {
        List<FgaStore> all = stores.values().stream().filter(s -> name.map(n -> n.equals(s.name())).orElse(true))
                .filter(s -> token == null || token.isEmpty() || s.id().compareTo(token) > 0).toList();
        List<FgaStore> page = all.stream().limit(pageSize).toList();
        return new Page<>(page, all.size() > pageSize ? page.get(page.size() - 1).id() : "");
    }

    @Override
    public synchronized boolean deleteStore(String id) {
        tuples.remove(id);
        models.remove(id);
        changes.remove(id);
        return stores.remove(id) != null;
    }

    @Override
    public synchronized void saveModel(String store, StoredModel model) {
        models.get(store).add(model);
    }

    @Override
    public synchronized Optional<StoredModel> model(String store, String modelId) {
        return models.getOrDefault(store, List.of()).stream().filter(m -> m.model().id().equals(modelId)).findFirst();
    }

    @Override
    public synchronized Optional<StoredModel> latestModel(String store) {
        List<StoredModel> l = models.getOrDefault(store, List.of());
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(l.size() - 1));
    }

    @Override
    public synchronized Page<StoredModel> models(String store, int pageSize, String token) {
        List<StoredModel> l = new ArrayList<>(models.getOrDefault(store, List.of()));
        l.sort(Comparator.comparing((StoredModel m) -> m.model().id()).reversed());
        int from = token == null || token.isEmpty() ? 0 : Integer.parseInt(token);
        List<StoredModel> page = l.subList(Math.min(from, l.size()), Math.min(from + pageSize, l.size()));
        return new Page<>(page, from + pageSize < l.size() ? Integer.toString(from + pageSize) : "");
    }

    @Override
    public synchronized WriteOutcome write(String store, List<RelationTuple> writes, boolean ignoreDuplicates, List<RelationTuple> deletes,
                                           boolean ignoreMissing, Instant now) {
        Map<String, StoredTuple> t = tuples.get(store);
        Map<String, StoredTuple> next = new LinkedHashMap<>(t);
        List<TupleChange> log = new ArrayList<>();
        int deleted = 0;
        int written = 0;
        for (RelationTuple d : deletes) {
            StoredTuple old = next.remove(d.key());
            if (old == null) {
                if (!ignoreMissing) {
                    return new WriteOutcome.Missing(d);
                }
            } else {
                deleted++;
                log.add(new TupleChange(old.tuple(), TupleChange.Operation.DELETE, now));
            }
        }
        for (RelationTuple w : writes) {
            StoredTuple old = next.get(w.key());
            if (old != null) {
                if (!ignoreDuplicates || !Objects.equals(old.tuple().condition(), w.condition())) {
                    return new WriteOutcome.Duplicate(w);
                }
            } else {
                next.put(w.key(), new StoredTuple(w, now));
                written++;
                log.add(new TupleChange(w, TupleChange.Operation.WRITE, now));
            }
        }
        t.clear();
        t.putAll(next);
        changes.get(store).addAll(log);
        return new WriteOutcome.Written(written, deleted);
    }

    @Override
    public synchronized Page<StoredTuple> read(String store, TupleFilter f, int pageSize, String token) {
        List<StoredTuple> all = tuples.getOrDefault(store, Map.of()).values().stream().filter(s -> {
            RelationTuple t = s.tuple();
            return f.objectType().map(x -> x.equals(t.object().type())).orElse(true) && f.objectId().map(x -> x.equals(t.object().id())).orElse(true)
                    && f.relation().map(x -> x.equals(t.relation())).orElse(true) && f.user().map(x -> x.equals(t.user())).orElse(true);
        }).toList();
        int from = offset(token);
        List<StoredTuple> page = all.subList(Math.min(from, all.size()), Math.min(from + pageSize, all.size()));
        return new Page<>(page, from + pageSize < all.size() ? Integer.toString(from + pageSize) : "");
    }

    @Override
    public synchronized Page<TupleChange> changes(String store, Optional<String> type, Optional<Instant> start, int pageSize, String token) {
        List<TupleChange> all = changes.getOrDefault(store, List.of());
        int from = offset(token);
        List<TupleChange> page = new ArrayList<>();
        int i = from;
        for (; i < all.size() && page.size() < pageSize; i++) {
            TupleChange c = all.get(i);
            if (type.map(x -> x.equals(c.tuple().object().type())).orElse(true) && start.map(s -> !c.timestamp().isBefore(s)).orElse(true)) {
                page.add(c);
            }
        }
        return new Page<>(page, Integer.toString(i));
    }

    private static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_INVALID_CONTINUATION_TOKEN, "invalid continuation token", "bad token");
        }
    }

    private synchronized List<RelationTuple> select(String store, Predicate<RelationTuple> p) {
        return tuples.getOrDefault(store, Map.of()).values().stream().map(StoredTuple::tuple).filter(p).toList();
    }

    @Override
    public List<RelationTuple> find(String store, ObjectRef object, String relation, Collection<User> users) {
        return select(store, t -> t.object().equals(object) && t.relation().equals(relation) && users.contains(t.user()));
    }

    @Override
    public List<RelationTuple> usersets(String store, ObjectRef object, String relation) {
        return select(store, t -> t.object().equals(object) && t.relation().equals(relation) && t.user().userset());
    }

    @Override
    public List<RelationTuple> all(String store, ObjectRef object, String relation) {
        return select(store, t -> t.object().equals(object) && t.relation().equals(relation));
    }

    @Override
    public List<RelationTuple> byUser(String store, User user, String objectType, Collection<String> relations) {
        return select(store, t -> t.user().equals(user) && (objectType == null || t.object().type().equals(objectType))
                && (relations == null || relations.contains(t.relation())));
    }
}
