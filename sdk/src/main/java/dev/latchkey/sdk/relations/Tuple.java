package dev.latchkey.sdk.relations;

import java.util.Objects;

/** A relationship tuple as the relations API names it: {@code user} has {@code relation} on {@code object}. */
public record Tuple(String object, String relation, String user) {
    public Tuple {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(user, "user");
    }

    @Override
    public String toString() {
        return object + "#" + relation + "@" + user;
    }
}
