package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/** The stored tuples plus a request's contextual tuples, which count for that request only and are never written. */
final class ContextualTuples implements TupleReader {
    private final TupleReader stored;
    private final List<RelationTuple> contextual;

    private ContextualTuples(TupleReader stored, List<RelationTuple> contextual) {
        this.stored = stored;
        this.contextual = List.copyOf(contextual);
    }

    static TupleReader over(TupleReader stored, List<RelationTuple> contextual) {
        return contextual.isEmpty() ? stored : new ContextualTuples(stored, contextual);
    }

    @Override
    public List<RelationTuple> find(String store, ObjectRef object, String relation, Collection<User> users) {
        return plus(stored.find(store, object, relation, users), t -> on(t, object, relation) && users.contains(t.user()));
    }

    @Override
    public List<RelationTuple> usersets(String store, ObjectRef object, String relation) {
        return plus(stored.usersets(store, object, relation), t -> on(t, object, relation) && t.user().userset());
    }

    @Override
    public List<RelationTuple> all(String store, ObjectRef object, String relation) {
        return plus(stored.all(store, object, relation), t -> on(t, object, relation));
    }

    @Override
    public List<RelationTuple> byUser(String store, User user, String objectType, Collection<String> relations) {
        return plus(stored.byUser(store, user, objectType, relations), t -> t.user().equals(user)
                && (objectType == null || t.object().type().equals(objectType)) && (relations == null || relations.contains(t.relation())));
    }

    private static boolean on(RelationTuple t, ObjectRef object, String relation) {
        return t.object().equals(object) && t.relation().equals(relation);
    }

    /** A contextual tuple with the same key as a stored one replaces it (its condition is the one that counts). */
    private List<RelationTuple> plus(List<RelationTuple> base, Predicate<RelationTuple> match) {
        List<RelationTuple> extra = contextual.stream().filter(match).toList();
        if (extra.isEmpty()) {
            return base;
        }
        List<RelationTuple> out = new ArrayList<>(extra);
        for (RelationTuple t : base) {
            if (extra.stream().noneMatch(x -> x.key().equals(t.key()))) {
                out.add(t);
            }
        }
        return out;
    }
}
