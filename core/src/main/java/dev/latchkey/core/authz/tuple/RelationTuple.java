package dev.latchkey.core.authz.tuple;

import java.util.Objects;
import java.util.Optional;

/** A relationship tuple: {@code user} has {@code relation} on {@code object} (when its condition, if any, holds). */
public record RelationTuple(ObjectRef object, String relation, User user, Optional<TupleCondition> condition) {
    public RelationTuple {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(condition, "condition");
    }

    public static RelationTuple of(String object, String relation, String user) {
        TupleValidation.relation(relation);
        return new RelationTuple(ObjectRef.parse(object), relation, User.parse(user), Optional.empty());
    }

    /** The tuple without its condition: what makes two tuples the same tuple. */
    public String key() {
        return object + "#" + relation + "@" + user;
    }

    @Override
    public String toString() {
        return key() + condition.map(c -> " (with " + c.name() + ")").orElse("");
    }
}
