package dev.latchkey.core.authz.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A named condition: a CEL expression over typed parameters, true when a conditional tuple applies. */
public record ConditionDefinition(String name, String expression, Map<String, ParamType> parameters) {
    public ConditionDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
