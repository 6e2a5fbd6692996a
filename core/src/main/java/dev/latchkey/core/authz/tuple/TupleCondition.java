package dev.latchkey.core.authz.tuple;

import java.util.Objects;

/** The condition a tuple holds under ({@code condition: {name, context}}). */
public record TupleCondition(String name, ConditionContext context) {
    public TupleCondition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(context, "context");
    }
}
