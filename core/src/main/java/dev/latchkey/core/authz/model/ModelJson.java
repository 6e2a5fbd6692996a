package dev.latchkey.core.authz.model;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON form of a model, as OpenFGA's API reads and writes it: {@code schema_version}, {@code type_definitions}
 * (each {@code type}, {@code relations} of rewrites, {@code metadata.relations.<r>.directly_related_user_types}) and
 * {@code conditions}. Unknown fields inside a rewrite are errors; OpenFGA's informational metadata
 * ({@code module}, {@code source_info}) is accepted and dropped.
 */
public final class ModelJson {
    private ModelJson() {
    }

    /** Parses a model object (with or without {@code id}). */
    public static AuthorizationModel parse(String json) {
        Map<String, Object> root;
        try {
            root = JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw invalid("the model is not a JSON object");
        }
        return parse(root);
    }

    static AuthorizationModel parse(Map<String, Object> root) {
        String id = root.get("id") instanceof String s ? s : "";
        Object sv = root.get("schema_version");
        if (!(sv instanceof String schema) || !schema.equals(AuthorizationModel.SCHEMA_1_1)) {
            throw invalid("schema_version must be \"1.1\"");
        }
        Map<String, TypeDefinition> types = new LinkedHashMap<>();
        for (Object o : list(root.get("type_definitions"), "type_definitions")) {
            Map<String, Object> td = object(o, "type_definitions[]");
            String type = string(td.get("type"), "type_definitions[].type");
            Map<String, Object> metadata = td.get("metadata") == null ? Map.of() : object(td.get("metadata"), type + ".metadata");
            Map<String, Object> metaRelations = metadata.get("relations") == null ? Map.of()
                    : object(metadata.get("relations"), type + ".metadata.relations");
            Map<String, RelationDefinition> relations = new LinkedHashMap<>();
            Map<String, Object> rels = td.get("relations") == null ? Map.of() : object(td.get("relations"), type + ".relations");
            for (Map.Entry<String, Object> r : rels.entrySet()) {
                String where = type + "#" + r.getKey();
                Rewrite rewrite = rewrite(r.getValue(), where);
                List<TypeRestriction> direct = new ArrayList<>();
                if (metaRelations.get(r.getKey()) != null) {
                    Map<String, Object> meta = object(metaRelations.get(r.getKey()), where + " metadata");
                    if (meta.get("directly_related_user_types") != null) {
                        for (Object d : list(meta.get("directly_related_user_types"), where + " directly_related_user_types")) {
                            direct.add(restriction(object(d, where + " directly_related_user_types[]"), where));
                        }
                    }
                }
                relations.put(r.getKey(), new RelationDefinition(r.getKey(), rewrite, direct));
            }
            if (types.put(type, new TypeDefinition(type, relations)) != null) {
                throw invalid("type '" + type + "' is defined twice");
            }
        }
        Map<String, ConditionDefinition> conditions = new LinkedHashMap<>();
        if (root.get("conditions") != null) {
            for (Map.Entry<String, Object> c : object(root.get("conditions"), "conditions").entrySet()) {
                Map<String, Object> cd = object(c.getValue(), "conditions." + c.getKey());
                String name = cd.get("name") == null ? c.getKey() : string(cd.get("name"), "conditions." + c.getKey() + ".name");
                if (!name.equals(c.getKey())) {
                    throw invalid("condition '" + c.getKey() + "' has the name '" + name + "'");
                }
                Map<String, ParamType> params = new LinkedHashMap<>();
                if (cd.get("parameters") != null) {
                    for (Map.Entry<String, Object> p : object(cd.get("parameters"), name + ".parameters").entrySet()) {
                        params.put(p.getKey(), paramType(p.getValue(), name + "." + p.getKey()));
                    }
                }
                conditions.put(name, new ConditionDefinition(name, string(cd.get("expression"), name + ".expression"), params));
            }
        }
        return new AuthorizationModel(id, AuthorizationModel.SCHEMA_1_1, types, conditions);
    }

    private static Rewrite rewrite(Object o, String where) {
        Map<String, Object> m = object(o, where);
        if (m.size() != 1) {
            throw invalid(where + ": a rewrite has exactly one of this, computedUserset, tupleToUserset, union, intersection, difference");
        }
        Map.Entry<String, Object> e = m.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "this" -> new Rewrite.Direct();
            case "computedUserset" -> new Rewrite.Computed(string(object(e.getValue(), where).get("relation"), where + " computedUserset.relation"));
            case "tupleToUserset" -> {
                Map<String, Object> t = object(e.getValue(), where + " tupleToUserset");
                String tupleset = string(object(t.get("tupleset"), where + " tupleset").get("relation"), where + " tupleset.relation");
                String computed = string(object(t.get("computedUserset"), where + " computedUserset").get("relation"),
                        where + " tupleToUserset.computedUserset.relation");
                yield new Rewrite.TupleToUserset(tupleset, computed);
            }
            case "union", "intersection" -> {
                List<Rewrite> children = new ArrayList<>();
                for (Object c : list(object(e.getValue(), where).get("child"), where + " " + e.getKey() + ".child")) {
                    children.add(rewrite(c, where));
                }
                if (children.isEmpty()) {
                    throw invalid(where + ": " + e.getKey() + " needs at least one child");
                }
                yield e.getKey().equals("union") ? new Rewrite.Union(children) : new Rewrite.Intersection(children);
            }
            case "difference" -> {
                Map<String, Object> d = object(e.getValue(), where + " difference");
                if (d.get("base") == null || d.get("subtract") == null) {
                    throw invalid(where + ": difference needs base and subtract");
                }
                yield new Rewrite.Exclusion(rewrite(d.get("base"), where), rewrite(d.get("subtract"), where));
            }
            default -> throw invalid(where + ": unknown rewrite '" + e.getKey() + "'");
        };
    }

    private static TypeRestriction restriction(Map<String, Object> d, String where) {
        for (String k : d.keySet()) {
            if (!Set.of("type", "relation", "wildcard", "condition").contains(k)) {
                throw invalid(where + ": unknown field '" + k + "' in a directly related user type");
            }
        }
        String type = string(d.get("type"), where + " directly_related_user_types[].type");
        Optional<String> relation = d.get("relation") == null || "".equals(d.get("relation")) ? Optional.empty()
                : Optional.of(string(d.get("relation"), where + " relation"));
        Optional<String> condition = d.get("condition") == null || "".equals(d.get("condition")) ? Optional.empty()
                : Optional.of(string(d.get("condition"), where + " condition"));
        boolean wildcard = d.get("wildcard") != null;
        if (wildcard && relation.isPresent()) {
            throw invalid(where + ": a wildcard type has no relation");
        }
        return new TypeRestriction(type, relation, wildcard, condition);
    }

    private static ParamType paramType(Object o, String where) {
        Map<String, Object> p = object(o, where);
        String name = string(p.get("type_name"), where + ".type_name");
        if (!name.startsWith("TYPE_NAME_")) {
            throw invalid(where + ": unknown type_name '" + name + "'");
        }
        ParamType.Name n;
        try {
            n = ParamType.Name.valueOf(name.substring("TYPE_NAME_".length()));
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": unknown type_name '" + name + "'");
        }
        List<ParamType> generics = new ArrayList<>();
        if (p.get("generic_types") != null) {
            for (Object g : list(p.get("generic_types"), where + ".generic_types")) {
                generics.add(paramType(g, where + "<>"));
            }
        }
        try {
            return new ParamType(n, generics);
        } catch (IllegalArgumentException e) {
            throw invalid(where + ": " + e.getMessage());
        }
    }

    /** The model as OpenFGA's JSON (with {@code id} when it has one). */
    public static String write(AuthorizationModel model) {
        return JSONObjectUtils.toJSONString(toJson(model));
    }

    public static Map<String, Object> toJson(AuthorizationModel model) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!model.id().isEmpty()) {
            root.put("id", model.id());
        }
        root.put("schema_version", model.schemaVersion());
        List<Object> tds = new ArrayList<>();
        for (TypeDefinition t : model.types().values()) {
            Map<String, Object> td = new LinkedHashMap<>();
            td.put("type", t.name());
            Map<String, Object> rels = new LinkedHashMap<>();
            Map<String, Object> meta = new LinkedHashMap<>();
            for (RelationDefinition r : t.relations().values()) {
                rels.put(r.name(), rewriteJson(r.rewrite()));
                List<Object> direct = new ArrayList<>();
                for (TypeRestriction tr : r.directTypes()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("type", tr.type());
                    tr.relation().ifPresent(x -> d.put("relation", x));
                    if (tr.wildcard()) {
                        d.put("wildcard", new LinkedHashMap<>());
                    }
                    tr.condition().ifPresent(x -> d.put("condition", x));
                    direct.add(d);
                }
                meta.put(r.name(), new LinkedHashMap<>(Map.of("directly_related_user_types", direct)));
            }
            td.put("relations", rels);
            td.put("metadata", t.relations().isEmpty() ? null : new LinkedHashMap<>(Map.of("relations", meta)));
            tds.add(td);
        }
        root.put("type_definitions", tds);
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (ConditionDefinition c : model.conditions().values()) {
            Map<String, Object> cd = new LinkedHashMap<>();
            cd.put("name", c.name());
            cd.put("expression", c.expression());
            Map<String, Object> params = new LinkedHashMap<>();
            c.parameters().forEach((k, v) -> params.put(k, paramJson(v)));
            cd.put("parameters", params);
            conditions.put(c.name(), cd);
        }
        root.put("conditions", conditions);
        return root;
    }

    private static Map<String, Object> paramJson(ParamType p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type_name", p.name().json());
        if (!p.generics().isEmpty()) {
            m.put("generic_types", p.generics().stream().map(ModelJson::paramJson).toList());
        }
        return m;
    }

    private static Map<String, Object> rewriteJson(Rewrite r) {
        return switch (r) {
            case Rewrite.Direct d -> Map.of("this", new LinkedHashMap<>());
            case Rewrite.Computed c -> Map.of("computedUserset", Map.of("relation", c.relation()));
            case Rewrite.TupleToUserset t -> Map.of("tupleToUserset", Map.of("tupleset", Map.of("relation", t.tupleset()),
                    "computedUserset", Map.of("relation", t.computed())));
            case Rewrite.Union u -> Map.of("union", Map.of("child", u.children().stream().map(ModelJson::rewriteJson).toList()));
            case Rewrite.Intersection i -> Map.of("intersection", Map.of("child", i.children().stream().map(ModelJson::rewriteJson).toList()));
            case Rewrite.Exclusion e -> Map.of("difference", Map.of("base", rewriteJson(e.base()), "subtract", rewriteJson(e.subtract())));
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw invalid(where + " must be a JSON object");
        }
        return (Map<String, Object>) m;
    }

    private static List<?> list(Object o, String where) {
        if (!(o instanceof List<?> l)) {
            throw invalid(where + " must be a JSON array");
        }
        return l;
    }

    private static String string(Object o, String where) {
        if (!(o instanceof String s) || s.isEmpty()) {
            throw invalid(where + " must be a non-empty string");
        }
        return s;
    }

    static LatchkeyException invalid(String message) {
        return LatchkeyException.withMessage(ErrorCode.FGA_INVALID_MODEL, "Invalid authorization model: " + message + ".", "model json: " + message);
    }
}
