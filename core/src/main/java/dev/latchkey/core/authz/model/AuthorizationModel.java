package dev.latchkey.core.authz.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An authorization model (OpenFGA schema 1.1): types with relations, and conditions. Immutable; once stored it
 * has an id and never changes (a new version is a new model).
 */
public record AuthorizationModel(String id, String schemaVersion, Map<String, TypeDefinition> types,
                                 Map<String, ConditionDefinition> conditions) {
    public static final String SCHEMA_1_1 = "1.1";

    public AuthorizationModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
        conditions = Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
    }

    public AuthorizationModel withId(String newId) {
        return new AuthorizationModel(newId, schemaVersion, types, conditions);
    }

    public Optional<TypeDefinition> type(String type) {
        return Optional.ofNullable(types.get(type));
    }

    public Optional<RelationDefinition> relation(String type, String relation) {
        TypeDefinition t = types.get(type);
        return t == null ? Optional.empty() : t.relation(relation);
    }
}
