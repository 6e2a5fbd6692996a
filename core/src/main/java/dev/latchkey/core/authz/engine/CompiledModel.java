package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.ConditionEvaluator;
import dev.latchkey.core.authz.model.AuthorizationModel;
import dev.latchkey.core.authz.model.ModelValidation;
import dev.latchkey.core.authz.model.RelationDefinition;
import dev.latchkey.core.authz.model.Rewrite;
import dev.latchkey.core.authz.model.TypeDefinition;
import dev.latchkey.core.authz.model.TypeRestriction;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated model ready for queries: its conditions compiled, and the reverse edges list-objects walks
 * ("having relation r on an object of type t implies having r2 on …"), each marked certain when it passes only
 * through unions (intersections and exclusions need a check of the candidate).
 */
public final class CompiledModel {
    private final AuthorizationModel model;
    private final Map<String, ConditionEvaluator.Compiled> conditions;
    private final Map<String, List<Edge>> computedParents = new HashMap<>();
    private final Map<String, List<Edge>> ttuParents = new HashMap<>();
    private final Map<String, Boolean> directCertain = new HashMap<>();
    private final java.util.Set<String> usersetTargets = new java.util.HashSet<>();

    /** Where a membership leads: {@code relation} on the same object (computed) or on objects of {@code type} through {@code tupleset}. */
    record Edge(String type, String relation, String tupleset, boolean certain) {
    }

    private CompiledModel(AuthorizationModel model, ConditionEvaluator evaluator) {
        this.model = model;
        Map<String, ConditionEvaluator.Compiled> compiled = new LinkedHashMap<>();
        model.conditions().values().forEach(c -> compiled.put(c.name(), evaluator.compile(c)));
        this.conditions = Map.copyOf(compiled);
        for (TypeDefinition t : model.types().values()) {
            for (RelationDefinition r : t.relations().values()) {
                index(t, r, r.rewrite(), true);
                r.directTypes().forEach(tr -> tr.relation().ifPresent(rel -> usersetTargets.add(tr.type() + "#" + rel)));
            }
        }
    }

    /** True when some relation admits {@code type#relation} as a userset: only then can a tuple name it as its user. */
    boolean usersetReferenced(String type, String relation) {
        return usersetTargets.contains(type + "#" + relation);
    }

    /** Validates and compiles. */
    public static CompiledModel of(AuthorizationModel model, ConditionEvaluator evaluator) {
        return new CompiledModel(ModelValidation.validate(model, evaluator), evaluator);
    }

    private void index(TypeDefinition t, RelationDefinition r, Rewrite rw, boolean certain) {
        switch (rw) {
            case Rewrite.Direct d -> directCertain.merge(t.name() + "#" + r.name(), certain, Boolean::logicalOr);
            case Rewrite.Computed c -> computedParents.computeIfAbsent(t.name() + "#" + c.relation(), k -> new ArrayList<>())
                    .add(new Edge(t.name(), r.name(), null, certain));
            case Rewrite.TupleToUserset ttu -> t.relation(ttu.tupleset()).ifPresent(ts -> {
                for (TypeRestriction tr : ts.directTypes()) {
                    ttuParents.computeIfAbsent(tr.type() + "#" + ttu.computed(), k -> new ArrayList<>())
                            .add(new Edge(t.name(), r.name(), ttu.tupleset(), certain));
                }
            });
            case Rewrite.Union u -> u.children().forEach(c -> index(t, r, c, certain));
            case Rewrite.Intersection i -> i.children().forEach(c -> index(t, r, c, false));
            case Rewrite.Exclusion e -> index(t, r, e.base(), false);
        }
    }

    public AuthorizationModel model() {
        return model;
    }

    public String id() {
        return model.id();
    }

    List<Edge> computedParents(String type, String relation) {
        return computedParents.getOrDefault(type + "#" + relation, List.of());
    }

    List<Edge> ttuParents(String type, String relation) {
        return ttuParents.getOrDefault(type + "#" + relation, List.of());
    }

    /** True when a direct tuple on type#relation grants the relation without any further check. */
    boolean directCertain(String type, String relation) {
        return directCertain.getOrDefault(type + "#" + relation, false);
    }

    /** The relation, or a {@code validation_error} naming it. */
    RelationDefinition relation(String type, String relation) {
        return model.relation(type, relation).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION,
                model.type(type).isEmpty() ? "type '" + type + "' not found" : "relation '" + type + "#" + relation + "' not found",
                "unknown relation " + type + "#" + relation));
    }

    boolean hasRelation(String type, String relation) {
        return model.relation(type, relation).isPresent();
    }

    /** The restriction of {@code def} that admits the tuple's user and condition, if any (tuples the current model does not admit are ignored). */
    public static Optional<TypeRestriction> admitting(RelationDefinition def, RelationTuple t) {
        User u = t.user();
        Optional<String> cond = t.condition().map(c -> c.name());
        for (TypeRestriction tr : def.directTypes()) {
            boolean shape = tr.type().equals(u.type()) && (u.wildcard() ? tr.wildcard()
                    : !tr.wildcard() && tr.relation().orElse("").equals(u.relation()));
            if (shape && tr.condition().equals(cond)) {
                return Optional.of(tr);
            }
        }
        return Optional.empty();
    }

    Optional<ConditionEvaluator.Compiled> condition(String name) {
        return Optional.ofNullable(conditions.get(name));
    }
}
