package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.model.RelationDefinition;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.LatchkeyException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * List objects: the objects of a type on which the user has a relation. Walks the tuples from the user outwards
 * (breadth first, over the model's reverse edges), so its cost follows what the user can reach, not the number of
 * objects. An object reached only through unions and unconditional tuples is certain; one reached through an
 * intersection, an exclusion or a condition is a candidate, and a check decides it. Answers at most
 * {@link Limits#maxListResults()} objects, and what it has found when the deadline passes.
 */
final class ObjectLister {
    private final Resolution r;
    private final Map<String, Boolean> seen = new HashMap<>();
    private final Deque<Membership> queue = new ArrayDeque<>();
    private final Set<ObjectRef> certain = new LinkedHashSet<>();
    private final Set<ObjectRef> candidates = new LinkedHashSet<>();

    private record Membership(ObjectRef object, String relation, boolean certain) {
    }

    ObjectLister(Resolution r) {
        this.r = r;
    }

    List<String> list(String type, String relation, User user) {
        r.model.relation(type, relation);
        if (user.userset()) {
            offer(new Membership(user.asObject(), user.relation(), true));
        }
        directOf(user);
        if (!user.userset() && !user.wildcard()) {
            directOf(User.wildcard(user.type()));
        }
        int max = r.limits.maxListResults();
        while (!queue.isEmpty() && certain.size() < max && !r.pastDeadline()) {
            Membership m = queue.poll();
            if (m.object().type().equals(type) && m.relation().equals(relation)) {
                (m.certain() ? certain : candidates).add(m.object());
            }
            step(m);
        }
        candidates.removeAll(certain);
        Set<ObjectRef> out = new LinkedHashSet<>(certain);
        for (ObjectRef o : candidates) {
            if (out.size() >= max || r.pastDeadline()) {
                break;
            }
            try {
                if (new Checker(r.forCandidate()).check(o, relation, user, 0)) {
                    out.add(o);
                }
            } catch (LatchkeyException e) {
                if (e.code() != dev.latchkey.core.error.ErrorCode.FGA_VALIDATION) {
                    throw e;
                }
                // a candidate whose condition lacks parameters is not listed (OpenFGA does the same)
            }
        }
        return out.stream().limit(max).map(ObjectRef::toString).toList();
    }

    /** Direct tuples naming {@code user}: each is a membership, certain when the model grants it without further checks. */
    private void directOf(User user) {
        safeStep();
        for (RelationTuple t : r.reader.byUser(r.store, user, null, null)) {
            admit(t, true);
        }
    }

    private void admit(RelationTuple t, boolean certainSoFar) {
        RelationDefinition def = r.model.model().relation(t.object().type(), t.relation()).orElse(null);
        if (def == null || CompiledModel.admitting(def, t).isEmpty()) {
            return;
        }
        boolean c = certainSoFar && t.condition().isEmpty() && r.model.directCertain(t.object().type(), t.relation());
        if (t.condition().isPresent() && !holdsQuietly(t)) {
            return;
        }
        offer(new Membership(t.object(), t.relation(), c));
    }

    private void step(Membership m) {
        if (r.model.usersetReferenced(m.object().type(), m.relation())) {
            safeStep();
            for (RelationTuple t : r.reader.byUser(r.store, User.userset(m.object(), m.relation()), null, null)) {
                admit(t, m.certain());
            }
        }
        for (CompiledModel.Edge e : r.model.computedParents(m.object().type(), m.relation())) {
            offer(new Membership(m.object(), e.relation(), m.certain() && e.certain()));
        }
        for (CompiledModel.Edge e : r.model.ttuParents(m.object().type(), m.relation())) {
            safeStep();
            RelationDefinition tupleset = r.model.model().relation(e.type(), e.tupleset()).orElse(null);
            for (RelationTuple t : r.reader.byUser(r.store, User.object(m.object()), e.type(), List.of(e.tupleset()))) {
                if (tupleset == null || CompiledModel.admitting(tupleset, t).isEmpty() || (t.condition().isPresent() && !holdsQuietly(t))) {
                    continue;
                }
                offer(new Membership(t.object(), e.relation(), m.certain() && e.certain() && t.condition().isEmpty()));
            }
        }
    }

    /** A condition that is not met, or cannot be evaluated, does not lead anywhere (the candidate check would say the same). */
    private boolean holdsQuietly(RelationTuple t) {
        try {
            return Checker.holds(r, t);
        } catch (LatchkeyException e) {
            return false;
        }
    }

    private void offer(Membership m) {
        String key = m.object() + "#" + m.relation();
        Boolean before = seen.get(key);
        if (before == null || (!before && m.certain())) {
            seen.put(key, m.certain());
            queue.add(m);
        }
    }

    private void safeStep() {
        r.step(0);
    }
}
