package dev.latchkey.server.relations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.core.authz.Consistency;
import dev.latchkey.core.authz.FgaStore;
import dev.latchkey.core.authz.engine.UsersetTree;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.TupleCondition;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** OpenFGA's JSON shapes, read strictly (known fields only, each of the right kind) and written as OpenFGA writes them. */
final class FgaJson {
    private final ObjectMapper json;

    FgaJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectMapper mapper() {
        return json;
    }

    ObjectNode object() {
        return json.createObjectNode();
    }

    /** Refuses fields other than {@code allowed} (OpenFGA: "unknown field"). */
    static void only(JsonNode n, String where, String... allowed) {
        if (n == null || !n.isObject()) {
            throw invalid(where + " must be a JSON object");
        }
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                throw invalid("unknown field '" + f + "' in " + where);
            }
        }
    }

    static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw invalid("'" + field + "' must be a string");
        }
        return v.asText().isEmpty() ? Optional.empty() : Optional.of(v.asText());
    }

    static String required(JsonNode n, String field) {
        return text(n, field).orElseThrow(() -> invalid("'" + field + "' is required"));
    }

    static int pageSize(JsonNode n) {
        JsonNode v = n.get("page_size");
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.canConvertToInt()) {
            throw invalid("'page_size' must be a number");
        }
        return v.asInt();
    }

    static Consistency consistency(JsonNode n) {
        Optional<String> c = text(n, "consistency");
        try {
            return c.map(Consistency::parse).orElse(Consistency.UNSPECIFIED);
        } catch (IllegalArgumentException e) {
            throw invalid("'consistency' must be UNSPECIFIED, MINIMIZE_LATENCY or HIGHER_CONSISTENCY");
        }
    }

    static ConditionContext context(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return ConditionContext.EMPTY;
        }
        if (!v.isObject()) {
            throw invalid("'" + field + "' must be a JSON object");
        }
        return ConditionContext.parse(v.toString());
    }

    /** {@code {user, relation, object, condition?}}. */
    static RelationTuple tuple(JsonNode k, boolean conditionAllowed) {
        if (conditionAllowed) {
            only(k, "tuple_key", "user", "relation", "object", "condition");
        } else {
            only(k, "tuple_key", "user", "relation", "object");
        }
        RelationTuple t = RelationTuple.of(required(k, "object"), required(k, "relation"), required(k, "user"));
        JsonNode c = k.get("condition");
        if (c == null || c.isNull()) {
            return t;
        }
        only(c, "condition", "name", "context");
        return new RelationTuple(t.object(), t.relation(), t.user(), Optional.of(new TupleCondition(required(c, "name"), context(c, "context"))));
    }

    static List<RelationTuple> tuples(JsonNode arr, String where, boolean conditionAllowed) {
        List<RelationTuple> out = new ArrayList<>();
        if (arr == null || arr.isNull()) {
            return out;
        }
        if (!arr.isArray()) {
            throw invalid(where + " must be an array");
        }
        arr.forEach(k -> out.add(tuple(k, conditionAllowed)));
        return out;
    }

    /** {@code contextual_tuples: {tuple_keys: [...]}} (check, list-objects, expand) or a plain array (list-users). */
    static List<RelationTuple> contextual(JsonNode n) {
        JsonNode c = n.get("contextual_tuples");
        if (c == null || c.isNull()) {
            return List.of();
        }
        if (c.isArray()) {
            return tuples(c, "contextual_tuples", true);
        }
        only(c, "contextual_tuples", "tuple_keys");
        return tuples(c.get("tuple_keys"), "contextual_tuples.tuple_keys", true);
    }

    ObjectNode tupleKey(RelationTuple t) {
        ObjectNode k = object().put("user", t.user().toString()).put("relation", t.relation()).put("object", t.object().toString());
        t.condition().ifPresent(c -> {
            ObjectNode cn = k.putObject("condition").put("name", c.name());
            if (!c.context().isEmpty()) {
                cn.set("context", read(c.context().json()));
            }
        });
        return k;
    }

    ObjectNode store(FgaStore s) {
        ObjectNode n = object().put("id", s.id()).put("name", s.name()).put("created_at", s.createdAt().toString())
                .put("updated_at", s.updatedAt().toString());
        s.orgId().ifPresent(o -> n.put("org_id", o.toString()));
        return n;
    }

    JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw LatchkeyException.wrap(ErrorCode.INTERNAL, "stored json", e);
        }
    }

    /** A list-users answer entry: {@code object}, {@code userset} or {@code wildcard}. */
    ObjectNode user(User u) {
        ObjectNode n = object();
        if (u.wildcard()) {
            n.putObject("wildcard").put("type", u.type());
        } else if (u.userset()) {
            n.putObject("userset").put("type", u.type()).put("id", u.id()).put("relation", u.relation());
        } else {
            n.putObject("object").put("type", u.type()).put("id", u.id());
        }
        return n;
    }

    ObjectNode tree(UsersetTree t) {
        ObjectNode n = object().put("name", t.name());
        switch (t) {
            case UsersetTree.Users u -> {
                ArrayNode users = n.putObject("leaf").putObject("users").putArray("users");
                u.users().forEach(users::add);
            }
            case UsersetTree.Computed c -> n.putObject("leaf").putObject("computed").put("userset", c.userset());
            case UsersetTree.TupleToUserset ttu -> {
                ObjectNode leaf = n.putObject("leaf").putObject("tupleToUserset").put("tupleset", ttu.tupleset());
                ArrayNode computed = leaf.putArray("computed");
                ttu.computed().forEach(c -> computed.add(object().put("userset", c)));
            }
            case UsersetTree.Union u -> {
                ArrayNode nodes = n.putObject("union").putArray("nodes");
                u.nodes().forEach(x -> nodes.add(tree(x)));
            }
            case UsersetTree.Intersection i -> {
                ArrayNode nodes = n.putObject("intersection").putArray("nodes");
                i.nodes().forEach(x -> nodes.add(tree(x)));
            }
            case UsersetTree.Difference d -> {
                ObjectNode diff = n.putObject("difference");
                diff.set("base", tree(d.base()));
                diff.set("subtract", tree(d.subtract()));
            }
        }
        return n;
    }

    static LatchkeyException invalid(String message) {
        return LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, message, "fga request: " + message);
    }
}
