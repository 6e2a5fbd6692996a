package dev.latchkey.core.authz.tuple;

import java.util.Objects;

/**
 * The user side of a tuple or query: an object ({@code user:anne}), a wildcard ({@code user:*}, every object of
 * the type) or a userset ({@code group:eng#member}, everyone with that relation on that object).
 *
 * @param relation {@code ""} unless a userset
 */
public record User(String type, String id, String relation) {
    public static final String WILDCARD = "*";

    public User {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(relation, "relation");
    }

    public static User object(ObjectRef o) {
        return new User(o.type(), o.id(), "");
    }

    public static User wildcard(String type) {
        return new User(type, WILDCARD, "");
    }

    public static User userset(ObjectRef o, String relation) {
        return new User(o.type(), o.id(), relation);
    }

    /** Parses {@code type:id}, {@code type:*} or {@code type:id#relation}. */
    public static User parse(String text) {
        TupleValidation.user(text);
        int hash = text.indexOf('#');
        String relation = hash < 0 ? "" : text.substring(hash + 1);
        String obj = hash < 0 ? text : text.substring(0, hash);
        int c = obj.indexOf(':');
        return new User(obj.substring(0, c), obj.substring(c + 1), relation);
    }

    public boolean wildcard() {
        return id.equals(WILDCARD);
    }

    public boolean userset() {
        return !relation.isEmpty();
    }

    /** The object part ({@code group:eng} of {@code group:eng#member}). */
    public ObjectRef asObject() {
        return new ObjectRef(type, id);
    }

    @Override
    public String toString() {
        return type + ":" + id + (relation.isEmpty() ? "" : "#" + relation);
    }
}
