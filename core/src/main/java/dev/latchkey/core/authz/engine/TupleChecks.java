package dev.latchkey.core.authz.engine;

import dev.latchkey.core.authz.model.AuthorizationModel;
import dev.latchkey.core.authz.model.ConditionDefinition;
import dev.latchkey.core.authz.model.RelationDefinition;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

/**
 * Whether a tuple fits a model, with OpenFGA's error texts: written and contextual tuples must name a defined type
 * and relation, a user the relation's directly related types admit, and a defined condition with only its
 * parameters. A query's user must be of a defined type (and relation, for a userset).
 */
public final class TupleChecks {
    private TupleChecks() {
    }

    public static void writable(CompiledModel compiled, RelationTuple t) {
        AuthorizationModel model = compiled.model();
        RelationDefinition def = compiled.relation(t.object().type(), t.relation());
        user(compiled, t.user());
        if (t.user().userset() && t.user().asObject().equals(t.object()) && t.user().relation().equals(t.relation())) {
            throw invalid("cannot write a tuple that relates an object to itself: '" + t.key() + "'");
        }
        if (def.directTypes().isEmpty()) {
            throw invalid("relation '" + t.object().type() + "#" + t.relation() + "' has no directly related user types: '" + t.key()
                    + "' cannot be written");
        }
        if (CompiledModel.admitting(def, t).isEmpty()) {
            String shape = t.user().wildcard() ? "the typed wildcard '" + t.user() + "'" : t.user().userset()
                    ? "the userset type '" + t.user().type() + "#" + t.user().relation() + "'" : "type '" + t.user().type() + "'";
            String cond = t.condition().map(c -> " with condition '" + c.name() + "'").orElse("");
            throw invalid(shape + cond + " is not an allowed type restriction for '" + t.object().type() + "#" + t.relation() + "' (tuple '"
                    + t.key() + "')");
        }
        if (t.condition().isPresent()) {
            ConditionDefinition c = model.conditions().get(t.condition().get().name());
            if (c == null) {
                throw invalid("condition '" + t.condition().get().name() + "' is not defined");
            }
            for (String p : t.condition().get().context().values().keySet()) {
                if (!c.parameters().containsKey(p)) {
                    throw invalid("found invalid context parameter '" + p + "' for condition '" + c.name() + "'");
                }
            }
        }
    }

    /** A query's user: a defined type, and for a userset a defined relation of it. */
    public static void user(CompiledModel compiled, User u) {
        AuthorizationModel model = compiled.model();
        if (model.type(u.type()).isEmpty()) {
            throw invalid("type '" + u.type() + "' not found");
        }
        if (u.userset() && model.relation(u.type(), u.relation()).isEmpty()) {
            throw invalid("relation '" + u.type() + "#" + u.relation() + "' not found");
        }
    }

    /** A query's object and relation: a defined type and a relation of it. */
    public static void relation(CompiledModel compiled, String type, String relation) {
        compiled.relation(type, relation);
    }

    static LatchkeyException invalid(String message) {
        return LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, message, "tuple: " + message);
    }
}
