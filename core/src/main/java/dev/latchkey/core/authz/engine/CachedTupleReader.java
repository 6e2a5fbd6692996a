package dev.latchkey.core.authz.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code MINIMIZE_LATENCY} reads: tuple lookups remembered for a short time (default 10 s, OpenFGA's check cache
 * TTL). A write through this node moves its store to a new generation, so this node's own later queries never see
 * the cache from before its write; other nodes see it within the time to live. {@code HIGHER_CONSISTENCY} queries
 * bypass this class.
 */
public final class CachedTupleReader implements TupleReader {
    private final TupleReader delegate;
    private final Cache<Key, List<RelationTuple>> cache;
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

    private record Key(String store, long generation, int kind, String object, String relation, Object users) {
    }

    public CachedTupleReader(TupleReader delegate, Duration ttl, long maxEntries) {
        this.delegate = delegate;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).build();
    }

    /** Forgets what this node read of {@code store} (called after each write to it). */
    public void invalidate(String store) {
        generations.computeIfAbsent(store, s -> new AtomicLong()).incrementAndGet();
    }

    private long generation(String store) {
        AtomicLong g = generations.get(store);
        return g == null ? 0 : g.get();
    }

    private List<RelationTuple> cached(Key key, Supplier<List<RelationTuple>> load) {
        List<RelationTuple> hit = cache.getIfPresent(key);
        if (hit != null) {
            return hit;
        }
        List<RelationTuple> v = List.copyOf(load.get());
        cache.put(key, v);
        return v;
    }

    @Override
    public List<RelationTuple> find(String store, ObjectRef object, String relation, Collection<User> users) {
        return cached(new Key(store, generation(store), 0, object.toString(), relation, List.copyOf(users)),
                () -> delegate.find(store, object, relation, users));
    }

    @Override
    public List<RelationTuple> usersets(String store, ObjectRef object, String relation) {
        return cached(new Key(store, generation(store), 1, object.toString(), relation, null), () -> delegate.usersets(store, object, relation));
    }

    @Override
    public List<RelationTuple> all(String store, ObjectRef object, String relation) {
        return cached(new Key(store, generation(store), 2, object.toString(), relation, null), () -> delegate.all(store, object, relation));
    }

    @Override
    public List<RelationTuple> byUser(String store, User user, String objectType, Collection<String> relations) {
        return cached(new Key(store, generation(store), 3, objectType, user.toString(), relations == null ? null : List.copyOf(relations)),
                () -> delegate.byUser(store, user, objectType, relations));
    }
}
