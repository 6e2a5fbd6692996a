package dev.latchkey.core.authz.model;

import java.util.List;
import java.util.Objects;

/** One relation of a type: its rewrite and, when the rewrite uses direct tuples, which users they may name. */
public record RelationDefinition(String name, Rewrite rewrite, List<TypeRestriction> directTypes) {
    public RelationDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rewrite, "rewrite");
        directTypes = List.copyOf(directTypes);
    }

    /** True when tuples can be written for this relation. */
    public boolean assignable() {
        return Rewrite.hasDirect(rewrite);
    }
}
