package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.model.RelationDefinition;
import dev.latchkey.core.authz.model.Rewrite;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;

/** Expand: the relation's rewrite on one object, one level deep, with the users its tuples name. */
final class Expander {
    private final Resolution r;

    Expander(Resolution r) {
        this.r = r;
    }

    UsersetTree expand(ObjectRef object, String relation) {
        RelationDefinition def = r.model.relation(object.type(), relation);
        return node(def, def.rewrite(), object);
    }

    private UsersetTree node(RelationDefinition def, Rewrite rw, ObjectRef object) {
        String name = object + "#" + def.name();
        r.step(0);
        return switch (rw) {
            case Rewrite.Direct d -> new UsersetTree.Users(name, r.reader.all(r.store, object, def.name()).stream()
                    .map(t -> t.user().toString()).distinct().toList());
            case Rewrite.Computed c -> new UsersetTree.Computed(name, object + "#" + c.relation());
            case Rewrite.TupleToUserset t -> new UsersetTree.TupleToUserset(name, object + "#" + t.tupleset(),
                    r.reader.all(r.store, object, t.tupleset()).stream().map(RelationTuple::user)
                            .filter(u -> !u.userset() && !u.wildcard() && r.model.hasRelation(u.type(), t.computed()))
                            .map(u -> u + "#" + t.computed()).distinct().toList());
            case Rewrite.Union u -> new UsersetTree.Union(name, u.children().stream().map(c -> node(def, c, object)).toList());
            case Rewrite.Intersection i -> new UsersetTree.Intersection(name, i.children().stream().map(c -> node(def, c, object)).toList());
            case Rewrite.Exclusion e -> new UsersetTree.Difference(name, node(def, e.base(), object), node(def, e.subtract(), object));
        };
    }
}
