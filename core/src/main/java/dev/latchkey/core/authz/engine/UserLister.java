package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.model.RelationDefinition;
import dev.latchkey.core.authz.model.Rewrite;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * List users: who has a relation on an object, as users of the filter's type ({@code user:anne}), wildcards
 * ({@code user:*}) or, for a filter with a relation, usersets ({@code group:eng#member}). Expands the relation's
 * rewrite from the object inwards; users reached through an intersection, an exclusion or a condition are
 * candidates that a check decides.
 */
final class UserLister {
    private final Resolution r;
    private final String filterType;
    private final String filterRelation;
    private final Map<String, Boolean> visited = new HashMap<>();
    private final Map<User, Boolean> found = new HashMap<>();

    UserLister(Resolution r, String filterType, String filterRelation) {
        this.r = r;
        this.filterType = filterType;
        this.filterRelation = filterRelation == null ? "" : filterRelation;
    }

    List<User> list(ObjectRef object, String relation) {
        r.model.relation(object.type(), relation);
        if (r.model.model().type(filterType).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "type '" + filterType + "' not found", "unknown filter type");
        }
        visit(object, relation, true, 0);
        Set<User> out = new LinkedHashSet<>();
        int max = r.limits.maxListResults();
        found.forEach((u, c) -> {
            if (c) {
                out.add(u);
            }
        });
        for (Map.Entry<User, Boolean> e : found.entrySet()) {
            if (out.size() >= max || r.pastDeadline()) {
                break;
            }
            if (!e.getValue()) {
                try {
                    if (new Checker(r.forCandidate()).check(object, relation, e.getKey(), 0)) {
                        out.add(e.getKey());
                    }
                } catch (LatchkeyException ex) {
                    if (ex.code() != ErrorCode.FGA_VALIDATION) {
                        throw ex;
                    }
                }
            }
        }
        return out.stream().limit(max).toList();
    }

    private void visit(ObjectRef object, String relation, boolean certain, int depth) {
        if (r.pastDeadline()) {
            return;
        }
        String key = object + "#" + relation;
        Boolean before = visited.get(key);
        if (before != null && (before || !certain)) {
            return;
        }
        visited.put(key, certain);
        r.step(depth);
        if (filterType.equals(object.type()) && filterRelation.equals(relation)) {
            add(User.userset(object, relation), certain);
        }
        RelationDefinition def = r.model.model().relation(object.type(), relation).orElse(null);
        if (def != null) {
            walk(def, def.rewrite(), object, certain, depth);
        }
    }

    private void walk(RelationDefinition def, Rewrite rw, ObjectRef object, boolean certain, int depth) {
        switch (rw) {
            case Rewrite.Direct d -> {
                for (RelationTuple t : r.reader.all(r.store, object, def.name())) {
                    if (CompiledModel.admitting(def, t).isEmpty()) {
                        continue;
                    }
                    boolean c = certain && t.condition().isEmpty();
                    User u = t.user();
                    if (u.userset()) {
                        visit(u.asObject(), u.relation(), c, depth + 1);
                    } else if (u.type().equals(filterType) && filterRelation.isEmpty()) {
                        add(u, c);
                    }
                }
            }
            case Rewrite.Computed c -> visit(object, c.relation(), certain, depth + 1);
            case Rewrite.TupleToUserset ttu -> {
                for (RelationTuple t : r.reader.all(r.store, object, ttu.tupleset())) {
                    if (!t.user().userset() && !t.user().wildcard() && r.model.hasRelation(t.user().type(), ttu.computed())) {
                        visit(t.user().asObject(), ttu.computed(), certain && t.condition().isEmpty(), depth + 1);
                    }
                }
            }
            case Rewrite.Union u -> u.children().forEach(ch -> walk(def, ch, object, certain, depth));
            case Rewrite.Intersection i -> i.children().forEach(ch -> walk(def, ch, object, false, depth));
            case Rewrite.Exclusion e -> walk(def, e.base(), object, false, depth);
        }
    }

    private void add(User u, boolean certain) {
        found.merge(u, certain, Boolean::logicalOr);
    }
}
