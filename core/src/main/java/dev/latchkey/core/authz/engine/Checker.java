package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.ConditionEvaluator;
import dev.latchkey.core.authz.model.RelationDefinition;
import dev.latchkey.core.authz.model.Rewrite;
import dev.latchkey.core.authz.model.TypeRestriction;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.TupleCondition;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Check (Zanzibar §2.4.4): does {@code user} have {@code relation} on {@code object}? Evaluates the relation's rewrite
 * depth first with short-circuits; a path that comes back to a question it is already answering (a cycle in the
 * tuples, e.g. two groups that contain each other) contributes false to that path, as in OpenFGA. A conditional
 * tuple counts when its condition holds on the tuple's context over the request's (the tuple's values win); a
 * condition that lacks parameters is an error unless another branch decides the answer.
 */
final class Checker {
    private final Resolution r;
    private final Set<String> path = new HashSet<>();

    Checker(Resolution r) {
        this.r = r;
    }

    boolean check(ObjectRef object, String relation, User user, int depth) {
        r.step(depth);
        if (user.userset() && user.type().equals(object.type()) && user.id().equals(object.id()) && user.relation().equals(relation)) {
            return true; // a userset always has its own relation
        }
        RelationDefinition def = r.model.relation(object.type(), relation);
        String key = object + "#" + relation + "@" + user;
        if (!path.add(key)) {
            return false;
        }
        try {
            return eval(def, def.rewrite(), object, user, depth);
        } finally {
            path.remove(key);
        }
    }

    private boolean eval(RelationDefinition def, Rewrite rw, ObjectRef object, User user, int depth) {
        return switch (rw) {
            case Rewrite.Direct d -> direct(def, object, user, depth);
            case Rewrite.Computed c -> check(object, c.relation(), user, depth + 1);
            case Rewrite.TupleToUserset t -> tupleToUserset(object, t, user, depth);
            case Rewrite.Union u -> {
                LatchkeyException deferred = null;
                for (Rewrite child : u.children()) {
                    try {
                        if (eval(def, child, object, user, depth)) {
                            yield true;
                        }
                    } catch (LatchkeyException e) {
                        deferred = deferrable(e, deferred);
                    }
                }
                if (deferred != null) {
                    throw deferred;
                }
                yield false;
            }
            case Rewrite.Intersection i -> {
                LatchkeyException deferred = null;
                for (Rewrite child : i.children()) {
                    try {
                        if (!eval(def, child, object, user, depth)) {
                            yield false;
                        }
                    } catch (LatchkeyException e) {
                        deferred = deferrable(e, deferred);
                    }
                }
                if (deferred != null) {
                    throw deferred;
                }
                yield true;
            }
            case Rewrite.Exclusion e -> {
                boolean base;
                try {
                    base = eval(def, e.base(), object, user, depth);
                } catch (LatchkeyException ex) {
                    deferrable(ex, null);
                    if (eval(def, e.subtract(), object, user, depth)) {
                        yield false; // excluded whatever the base says
                    }
                    throw ex;
                }
                yield base && !eval(def, e.subtract(), object, user, depth);
            }
        };
    }

    /** Only a condition's missing parameters wait for the other branches; limits end the query at once. */
    private static LatchkeyException deferrable(LatchkeyException e, LatchkeyException earlier) {
        if (e.code() != ErrorCode.FGA_VALIDATION) {
            throw e;
        }
        return earlier == null ? e : earlier;
    }

    private boolean direct(RelationDefinition def, ObjectRef object, User user, int depth) {
        Set<User> exact = new LinkedHashSet<>();
        boolean usersets = false;
        for (TypeRestriction tr : def.directTypes()) {
            if (tr.relation().isPresent()) {
                usersets = true;
                if (user.userset() && tr.type().equals(user.type()) && tr.relation().get().equals(user.relation())) {
                    exact.add(user);
                }
            } else if (tr.type().equals(user.type()) && !user.userset()) {
                if (tr.wildcard()) {
                    exact.add(User.wildcard(user.type()));
                } else if (!user.wildcard()) {
                    exact.add(user);
                }
            }
        }
        LatchkeyException deferred = null;
        if (!exact.isEmpty()) {
            r.step(depth);
            for (RelationTuple t : r.reader.find(r.store, object, def.name(), exact)) {
                try {
                    if (CompiledModel.admitting(def, t).isPresent() && holds(t)) {
                        return true;
                    }
                } catch (LatchkeyException e) {
                    deferred = deferrable(e, deferred);
                }
            }
        }
        if (usersets) {
            r.step(depth);
            List<RelationTuple> sets = r.reader.usersets(r.store, object, def.name());
            for (RelationTuple t : sets) {
                try {
                    if (CompiledModel.admitting(def, t).isPresent() && holds(t)
                            && check(t.user().asObject(), t.user().relation(), user, depth + 1)) {
                        return true;
                    }
                } catch (LatchkeyException e) {
                    deferred = deferrable(e, deferred);
                }
            }
        }
        if (deferred != null) {
            throw deferred;
        }
        return false;
    }

    private boolean tupleToUserset(ObjectRef object, Rewrite.TupleToUserset ttu, User user, int depth) {
        r.step(depth);
        RelationDefinition tupleset = r.model.relation(object.type(), ttu.tupleset());
        LatchkeyException deferred = null;
        for (RelationTuple t : r.reader.all(r.store, object, ttu.tupleset())) {
            if (t.user().userset() || t.user().wildcard() || !r.model.hasRelation(t.user().type(), ttu.computed())) {
                continue;
            }
            try {
                if (CompiledModel.admitting(tupleset, t).isPresent() && holds(t)
                        && check(t.user().asObject(), ttu.computed(), user, depth + 1)) {
                    return true;
                }
            } catch (LatchkeyException e) {
                deferred = deferrable(e, deferred);
            }
        }
        if (deferred != null) {
            throw deferred;
        }
        return false;
    }

    /** True when the tuple has no condition or its condition is met. */
    boolean holds(RelationTuple t) {
        return holds(r, t);
    }

    static boolean holds(Resolution r, RelationTuple t) {
        if (t.condition().isEmpty()) {
            return true;
        }
        TupleCondition c = t.condition().get();
        ConditionEvaluator.Compiled compiled = r.model.condition(c.name()).orElse(null);
        if (compiled == null) {
            return false; // the current model no longer has the condition: the tuple does not apply
        }
        ConditionEvaluator.Outcome o = compiled.evaluate(r.context.mergedWith(c.context()));
        return switch (o) {
            case ConditionEvaluator.Outcome.Met m -> true;
            case ConditionEvaluator.Outcome.NotMet n -> false;
            case ConditionEvaluator.Outcome.Missing m -> throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION,
                    "failed to evaluate relationship condition '" + c.name() + "' on tuple '" + t.key() + "': missing context parameters "
                            + m.parameters(), "condition missing parameters");
        };
    }
}
