package dev.latchkey.core.authz.model;

import dev.latchkey.core.authz.ConditionEvaluator;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks a model must pass before it is stored, each a small named rule run in order; every problem found is
 * reported at once in one {@code invalid_authorization_model} error: names, references (relations, types,
 * conditions, tuplesets), direct types vs {@code this}, conditions that compile to a boolean, and that every
 * relation can be reached from some tuple (no relation defined only through itself, {@code a: b, b: a}).
 */
public final class ModelValidation {
    static final Pattern TYPE_NAME = Pattern.compile("[^:#@*\\s]{1,254}");
    static final Pattern RELATION_NAME = Pattern.compile("[^:#@*\\s]{1,50}");
    static final Pattern CONDITION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,49}");
    private static final Set<String> RESERVED = Set.of("self", "this");

    private ModelValidation() {
    }

    /** Throws {@code invalid_authorization_model} listing every problem; returns the model unchanged when it is valid. */
    public static AuthorizationModel validate(AuthorizationModel model, ConditionEvaluator conditions) {
        List<String> problems = new ArrayList<>();
        if (model.types().isEmpty()) {
            problems.add("the model defines no type");
        }
        names(model, problems);
        references(model, problems);
        conditions(model, conditions, problems);
        if (problems.isEmpty()) {
            entrypoints(model, problems);
        }
        if (!problems.isEmpty()) {
            String all = String.join("; ", problems);
            throw LatchkeyException.withMessage(ErrorCode.FGA_INVALID_MODEL, "Invalid authorization model: " + all + ".", "model: " + all);
        }
        return model;
    }

    private static void names(AuthorizationModel model, List<String> problems) {
        for (TypeDefinition t : model.types().values()) {
            if (!TYPE_NAME.matcher(t.name()).matches() || RESERVED.contains(t.name())) {
                problems.add("'" + t.name() + "' is not a valid type name");
            }
            for (String r : t.relations().keySet()) {
                if (!RELATION_NAME.matcher(r).matches() || RESERVED.contains(r)) {
                    problems.add("'" + r + "' on type '" + t.name() + "' is not a valid relation name");
                }
            }
        }
        for (String c : model.conditions().keySet()) {
            if (!CONDITION_NAME.matcher(c).matches()) {
                problems.add("'" + c + "' is not a valid condition name");
            }
        }
    }

    private static void references(AuthorizationModel model, List<String> problems) {
        for (TypeDefinition t : model.types().values()) {
            for (RelationDefinition r : t.relations().values()) {
                String where = t.name() + "#" + r.name();
                if (r.rewrite() instanceof Rewrite.Computed c && c.relation().equals(r.name())) {
                    problems.add(where + " is defined as itself");
                }
                if (Rewrite.hasDirect(r.rewrite()) && r.directTypes().isEmpty()) {
                    problems.add(where + " uses direct tuples but lists no directly related types");
                }
                if (!Rewrite.hasDirect(r.rewrite()) && !r.directTypes().isEmpty()) {
                    problems.add(where + " lists directly related types but its definition does not use them");
                }
                Set<TypeRestriction> seen = new HashSet<>();
                for (TypeRestriction tr : r.directTypes()) {
                    if (!seen.add(tr)) {
                        problems.add(where + " lists " + tr.dsl() + " twice");
                    }
                    if (model.type(tr.type()).isEmpty()) {
                        problems.add(where + " allows type '" + tr.type() + "', which the model does not define");
                    } else if (tr.relation().isPresent() && model.relation(tr.type(), tr.relation().get()).isEmpty()) {
                        problems.add(where + " allows " + tr.dsl() + ", but type '" + tr.type() + "' has no relation '" + tr.relation().get() + "'");
                    }
                    if (tr.condition().isPresent() && !model.conditions().containsKey(tr.condition().get())) {
                        problems.add(where + " refers to condition '" + tr.condition().get() + "', which the model does not define");
                    }
                }
                rewriteReferences(model, t, where, r.rewrite(), problems);
            }
        }
    }

    private static void rewriteReferences(AuthorizationModel model, TypeDefinition t, String where, Rewrite rw, List<String> problems) {
        switch (rw) {
            case Rewrite.Direct d -> { }
            case Rewrite.Computed c -> {
                if (t.relation(c.relation()).isEmpty()) {
                    problems.add(where + " refers to '" + c.relation() + "', which type '" + t.name() + "' does not define");
                }
            }
            case Rewrite.TupleToUserset ttu -> tupleToUserset(model, t, where, ttu, problems);
            case Rewrite.Union u -> u.children().forEach(c -> rewriteReferences(model, t, where, c, problems));
            case Rewrite.Intersection i -> i.children().forEach(c -> rewriteReferences(model, t, where, c, problems));
            case Rewrite.Exclusion e -> {
                rewriteReferences(model, t, where, e.base(), problems);
                rewriteReferences(model, t, where, e.subtract(), problems);
            }
        }
    }

    /** {@code x from y}: y is a plain direct relation of this type naming objects (no usersets, no wildcards); some of them define x. */
    private static void tupleToUserset(AuthorizationModel model, TypeDefinition t, String where, Rewrite.TupleToUserset ttu, List<String> problems) {
        Optional<RelationDefinition> tupleset = t.relation(ttu.tupleset());
        if (tupleset.isEmpty()) {
            problems.add(where + ": '" + ttu.computed() + " from " + ttu.tupleset() + "' refers to '" + ttu.tupleset()
                    + "', which type '" + t.name() + "' does not define");
            return;
        }
        if (!(tupleset.get().rewrite() instanceof Rewrite.Direct)) {
            problems.add(where + ": the tupleset '" + ttu.tupleset() + "' must be defined by directly related types only");
            return;
        }
        boolean any = false;
        for (TypeRestriction tr : tupleset.get().directTypes()) {
            if (tr.relation().isPresent() || tr.wildcard()) {
                problems.add(where + ": the tupleset '" + ttu.tupleset() + "' may not allow " + tr.dsl() + " (only plain types)");
            } else if (model.relation(tr.type(), ttu.computed()).isPresent()) {
                any = true;
            }
        }
        if (!any) {
            problems.add(where + ": no type that '" + ttu.tupleset() + "' allows defines '" + ttu.computed() + "'");
        }
    }

    private static void conditions(AuthorizationModel model, ConditionEvaluator evaluator, List<String> problems) {
        for (ConditionDefinition c : model.conditions().values()) {
            try {
                evaluator.compile(c);
            } catch (LatchkeyException e) {
                problems.add(e.publicMessage().replaceAll("\\.$", ""));
            }
        }
    }

    /**
     * Least fixpoint: a relation has an entrypoint when some tuple could make it hold. Start with none, add each
     * relation whose definition is satisfiable given those found so far, until nothing changes; what is left can
     * never hold (it is defined only through itself or through such relations).
     */
    private static void entrypoints(AuthorizationModel model, List<String> problems) {
        Set<String> reachable = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (TypeDefinition t : model.types().values()) {
                for (RelationDefinition r : t.relations().values()) {
                    String key = t.name() + "#" + r.name();
                    if (!reachable.contains(key) && satisfiable(model, t, r, r.rewrite(), reachable)) {
                        reachable.add(key);
                        changed = true;
                    }
                }
            }
        }
        for (TypeDefinition t : model.types().values()) {
            for (RelationDefinition r : t.relations().values()) {
                if (!reachable.contains(t.name() + "#" + r.name())) {
                    problems.add(t.name() + "#" + r.name() + " has no entrypoint: no tuple can ever grant it (is it defined only through itself?)");
                }
            }
        }
    }

    private static boolean satisfiable(AuthorizationModel model, TypeDefinition t, RelationDefinition r, Rewrite rw, Set<String> reachable) {
        return switch (rw) {
            case Rewrite.Direct d -> r.directTypes().stream().anyMatch(tr -> tr.relation().isEmpty()
                    || reachable.contains(tr.type() + "#" + tr.relation().get()));
            case Rewrite.Computed c -> reachable.contains(t.name() + "#" + c.relation());
            case Rewrite.TupleToUserset ttu -> t.relation(ttu.tupleset()).map(ts -> ts.directTypes().stream()
                    .anyMatch(tr -> reachable.contains(tr.type() + "#" + ttu.computed()))).orElse(false);
            case Rewrite.Union u -> u.children().stream().anyMatch(c -> satisfiable(model, t, r, c, reachable));
            case Rewrite.Intersection i -> i.children().stream().allMatch(c -> satisfiable(model, t, r, c, reachable));
            case Rewrite.Exclusion e -> satisfiable(model, t, r, e.base(), reachable);
        };
    }
}
