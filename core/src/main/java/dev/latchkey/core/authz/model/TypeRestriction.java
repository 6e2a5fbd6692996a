package dev.latchkey.core.authz.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a relation's direct type restrictions ({@code [user, user:*, group#member, user with cond]}):
 * which users a tuple may name for the relation.
 *
 * @param type      the user's type
 * @param relation  for a userset ({@code group#member}), the relation of it
 * @param wildcard  {@code user:*}: every object of the type
 * @param condition the condition a tuple of this kind carries ({@code with cond})
 */
public record TypeRestriction(String type, Optional<String> relation, boolean wildcard, Optional<String> condition) {
    public TypeRestriction {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(relation, "relation");
        Objects.requireNonNull(condition, "condition");
        if (wildcard && relation.isPresent()) {
            throw new IllegalArgumentException("a wildcard restriction has no relation");
        }
    }

    public static TypeRestriction of(String type) {
        return new TypeRestriction(type, Optional.empty(), false, Optional.empty());
    }

    /** The restriction as the DSL writes it. */
    public String dsl() {
        return type + (wildcard ? ":*" : "") + relation.map(r -> "#" + r).orElse("") + condition.map(c -> " with " + c).orElse("");
    }
}
