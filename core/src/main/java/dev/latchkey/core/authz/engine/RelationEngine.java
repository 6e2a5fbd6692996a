package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import java.util.List;
import java.util.Objects;

/**
 * The queries on one model over one tuple source: check, expand, list objects, list users. Stateless; each call
 * builds its own {@link Resolution} with the limits and a deadline from now.
 */
public final class RelationEngine {
    private final Limits limits;

    public RelationEngine(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Limits limits() {
        return limits;
    }

    /** What a query reads and evaluates against. */
    public record Scope(String store, CompiledModel model, TupleReader reader, List<RelationTuple> contextual, ConditionContext context) {
        public Scope {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(reader, "reader");
            contextual = List.copyOf(contextual);
            Objects.requireNonNull(context, "context");
        }
    }

    public boolean check(Scope s, ObjectRef object, String relation, User user) {
        return new Checker(resolution(s, limits.maxDispatches())).check(object, relation, user, 0);
    }

    public UsersetTree expand(Scope s, ObjectRef object, String relation) {
        return new Expander(resolution(s, limits.maxDispatches())).expand(object, relation);
    }

    public List<String> listObjects(Scope s, String type, String relation, User user) {
        return new ObjectLister(resolution(s, limits.maxListDispatches())).list(type, relation, user);
    }

    public List<User> listUsers(Scope s, ObjectRef object, String relation, String filterType, String filterRelation) {
        return new UserLister(resolution(s, limits.maxListDispatches()), filterType, filterRelation).list(object, relation);
    }

    private Resolution resolution(Scope s, int budget) {
        return new Resolution(s.store(), s.model(), ContextualTuples.over(s.reader(), s.contextual()), s.context(), limits, budget,
                System.nanoTime() + limits.deadline().toNanos());
    }
}
