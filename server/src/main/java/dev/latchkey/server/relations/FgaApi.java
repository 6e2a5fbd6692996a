package dev.latchkey.server.relations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.core.authz.FgaStore;
import dev.latchkey.core.authz.Page;
import dev.latchkey.core.authz.RelationService;
import dev.latchkey.core.authz.StoredModel;
import dev.latchkey.core.authz.StoredTuple;
import dev.latchkey.core.authz.TupleChange;
import dev.latchkey.core.authz.TupleFilter;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relations API under {@value #BASE}, compatible with OpenFGA's HTTP API (point an OpenFGA SDK's {@code apiUrl}
 * at {@code https://auth.example.com/fga}): stores, authorization models, write, read, changes, check, batch-check,
 * expand, list-objects, list-users, with OpenFGA's request and response shapes and its error shape
 * ({@code {"code","message"}}). Each handler parses, makes one {@link RelationService} call and renders.
 */
public final class FgaApi implements Endpoints {
    public static final String BASE = "/fga";
    private static final Logger LOG = LoggerFactory.getLogger(FgaApi.class);

    private final RelationService relations;
    private final FgaAccess access;
    private final JsonBodies bodies;
    private final FgaJson json;
    private final FgaHttp http;

    /** @param adminKey whether a presented {@code lka_…} key is a valid admin API key */
    public FgaApi(RelationService relations, java.util.function.Predicate<String> adminKey, dev.latchkey.core.token.AccessTokenVerifier verifier,
                  String issuer, JsonBodies bodies) {
        this.relations = relations;
        this.access = new FgaAccess(adminKey, verifier, issuer);
        this.bodies = bodies;
        this.json = new FgaJson(bodies.mapper());
        this.http = new FgaHttp(bodies, json);
    }

    @FunctionalInterface
    private interface Handler {
        void handle(Context ctx, FgaPrincipal who) throws Exception;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(BASE + "/stores", guarded(true, this::createStore));
        r.get(BASE + "/stores", guarded(false, this::listStores));
        r.get(BASE + "/stores/{store_id}", guarded(false, (ctx, who) -> http.write(ctx, 200, json.store(store(ctx, who)))));
        r.delete(BASE + "/stores/{store_id}", guarded(true, (ctx, who) -> {
            relations.deleteStore(store(ctx, who).id());
            ctx.status(204);
        }));
        r.post(BASE + "/stores/{store_id}/authorization-models", guarded(true, this::writeModel));
        r.get(BASE + "/stores/{store_id}/authorization-models", guarded(false, this::listModels));
        r.get(BASE + "/stores/{store_id}/authorization-models/{id}", guarded(false, (ctx, who) -> {
            StoredModel m = relations.model(store(ctx, who).id(), ctx.pathParam("id"));
            http.write(ctx, 200, json.object().set("authorization_model", model(m)));
        }));
        r.post(BASE + "/stores/{store_id}/write", guarded(true, this::writeTuples));
        r.post(BASE + "/stores/{store_id}/read", guarded(false, this::read));
        r.get(BASE + "/stores/{store_id}/changes", guarded(false, this::changes));
        r.post(BASE + "/stores/{store_id}/check", guarded(false, this::check));
        r.post(BASE + "/stores/{store_id}/batch-check", guarded(false, this::batchCheck));
        r.post(BASE + "/stores/{store_id}/expand", guarded(false, this::expand));
        r.post(BASE + "/stores/{store_id}/list-objects", guarded(false, this::listObjects));
        r.post(BASE + "/stores/{store_id}/list-users", guarded(false, this::listUsers));
    }

    private io.javalin.http.Handler guarded(boolean mutates, Handler h) {
        return ctx -> {
            try {
                h.handle(ctx, access.authenticate(ctx, mutates));
            } catch (LatchkeyException e) {
                if (e.code().httpStatus() >= 500) {
                    LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
                }
                http.error(ctx, e);
            }
        };
    }

    // ---- stores and models

    private void createStore(Context ctx, FgaPrincipal who) {
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "name", "org_id");
        Optional<UUID> org = FgaJson.text(b, "org_id").map(FgaApi::uuid);
        if (who.org().isPresent() && !who.org().equals(org)) {
            org = who.org();
        }
        http.write(ctx, 201, json.store(relations.createStore(FgaJson.required(b, "name"), org)));
    }

    private void listStores(Context ctx, FgaPrincipal who) {
        Page<FgaStore> p = relations.stores(FgaHttp.intQuery(ctx, "page_size"), FgaHttp.token(ctx), Optional.ofNullable(ctx.queryParam("name")));
        ArrayNode stores = json.mapper().createArrayNode();
        p.items().stream().filter(who::mayUse).forEach(s -> stores.add(json.store(s)));
        ObjectNode out = json.object();
        out.set("stores", stores);
        http.write(ctx, 200, out.put("continuation_token", p.continuationToken()));
    }

    private void writeModel(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "schema_version", "type_definitions", "conditions");
        String id = relations.writeModel(store, ModelJson.parse(b.toString()));
        http.write(ctx, 201, json.object().put("authorization_model_id", id));
    }

    private void listModels(Context ctx, FgaPrincipal who) {
        Page<StoredModel> p = relations.models(store(ctx, who).id(), FgaHttp.intQuery(ctx, "page_size"), FgaHttp.token(ctx));
        ArrayNode models = json.mapper().createArrayNode();
        p.items().forEach(m -> models.add(model(m)));
        ObjectNode out = json.object();
        out.set("authorization_models", models);
        http.write(ctx, 200, out.put("continuation_token", p.continuationToken()));
    }

    private JsonNode model(StoredModel m) {
        return json.read(ModelJson.write(m.model()));
    }

    // ---- tuples

    private void writeTuples(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "writes", "deletes", "authorization_model_id");
        List<RelationTuple> writes = List.of();
        List<RelationTuple> deletes = List.of();
        boolean ignoreDuplicates = false;
        boolean ignoreMissing = false;
        if (b.hasNonNull("writes")) {
            FgaJson.only(b.get("writes"), "writes", "tuple_keys", "on_duplicate");
            writes = FgaJson.tuples(b.get("writes").get("tuple_keys"), "writes.tuple_keys", true);
            ignoreDuplicates = conflictOption(b.get("writes"), "on_duplicate");
        }
        if (b.hasNonNull("deletes")) {
            FgaJson.only(b.get("deletes"), "deletes", "tuple_keys", "on_missing");
            deletes = FgaJson.tuples(b.get("deletes").get("tuple_keys"), "deletes.tuple_keys", false);
            ignoreMissing = conflictOption(b.get("deletes"), "on_missing");
        }
        relations.write(store, FgaJson.text(b, "authorization_model_id"), writes, ignoreDuplicates, deletes, ignoreMissing);
        http.write(ctx, 200, json.object());
    }

    private static boolean conflictOption(JsonNode n, String field) {
        String v = FgaJson.text(n, field).orElse("error").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "ignore" -> true;
            case "error" -> false;
            default -> throw FgaJson.invalid("'" + field + "' must be 'error' or 'ignore'");
        };
    }

    private void read(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "tuple_key", "page_size", "continuation_token", "consistency");
        FgaJson.consistency(b);
        TupleFilter filter = TupleFilter.ALL;
        JsonNode k = b.get("tuple_key");
        if (k != null && !k.isNull()) {
            FgaJson.only(k, "tuple_key", "user", "relation", "object");
            Optional<String> object = FgaJson.text(k, "object");
            Optional<String> relation = FgaJson.text(k, "relation");
            Optional<User> user = FgaJson.text(k, "user").map(User::parse);
            if (object.isEmpty() && (relation.isPresent() || user.isPresent())) {
                throw FgaJson.invalid("the tuple_key's object is required when a relation or user is given");
            }
            Optional<String> type = object.map(o -> o.substring(0, Math.max(0, o.indexOf(':'))));
            Optional<String> id = object.map(o -> o.substring(o.indexOf(':') + 1)).filter(s -> !s.isEmpty());
            if (object.isPresent() && (type.get().isEmpty() || !object.get().contains(":"))) {
                throw FgaJson.invalid("invalid 'object' field format: '" + object.get() + "' (type:id, or type: with a user)");
            }
            if (object.isPresent() && id.isEmpty() && user.isEmpty()) {
                throw FgaJson.invalid("a type-only object (type:) needs a user");
            }
            id.ifPresent(x -> ObjectRef.parse(object.get()));
            filter = new TupleFilter(type, id, relation, user);
        }
        Page<StoredTuple> p = relations.read(store, filter, FgaJson.pageSize(b), FgaJson.text(b, "continuation_token").orElse(""));
        ArrayNode tuples = json.mapper().createArrayNode();
        p.items().forEach(t -> {
            ObjectNode n = json.object();
            n.set("key", json.tupleKey(t.tuple()));
            tuples.add(n.put("timestamp", t.timestamp().toString()));
        });
        ObjectNode out = json.object();
        out.set("tuples", tuples);
        http.write(ctx, 200, out.put("continuation_token", p.continuationToken()));
    }

    private void changes(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        Optional<Instant> start = Optional.ofNullable(ctx.queryParam("start_time")).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw FgaJson.invalid("'start_time' must be an RFC 3339 time");
            }
        });
        Page<TupleChange> p = relations.changes(store, Optional.ofNullable(ctx.queryParam("type")).filter(s -> !s.isEmpty()), start,
                FgaHttp.intQuery(ctx, "page_size"), FgaHttp.token(ctx));
        ArrayNode changes = json.mapper().createArrayNode();
        p.items().forEach(c -> {
            ObjectNode n = json.object();
            n.set("tuple_key", json.tupleKey(c.tuple()));
            changes.add(n.put("operation", c.operation().wireName()).put("timestamp", c.timestamp().toString()));
        });
        ObjectNode out = json.object();
        out.set("changes", changes);
        http.write(ctx, 200, out.put("continuation_token", p.continuationToken()));
    }

    // ---- queries

    private RelationService.Query query(String store, JsonNode b) {
        return new RelationService.Query(store, FgaJson.text(b, "authorization_model_id"), FgaJson.contextual(b), FgaJson.context(b, "context"),
                FgaJson.consistency(b));
    }

    private void check(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "tuple_key", "contextual_tuples", "authorization_model_id", "trace", "context", "consistency");
        RelationTuple k = FgaJson.tuple(FgaHttp.required(b, "tuple_key"), false);
        boolean allowed = relations.check(query(store, b), k.object(), k.relation(), k.user());
        http.write(ctx, 200, json.object().put("allowed", allowed).put("resolution", ""));
    }

    private void batchCheck(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "checks", "authorization_model_id", "consistency");
        JsonNode checks = FgaHttp.required(b, "checks");
        if (!checks.isArray()) {
            throw FgaJson.invalid("'checks' must be an array");
        }
        List<RelationService.BatchItem> items = new ArrayList<>();
        for (JsonNode c : checks) {
            FgaJson.only(c, "checks[]", "tuple_key", "contextual_tuples", "context", "correlation_id");
            RelationTuple k = FgaJson.tuple(FgaHttp.required(c, "tuple_key"), false);
            items.add(new RelationService.BatchItem(FgaJson.required(c, "correlation_id"), k.object(), k.relation(), k.user(),
                    FgaJson.contextual(c), FgaJson.context(c, "context")));
        }
        RelationService.Query q = new RelationService.Query(store, FgaJson.text(b, "authorization_model_id"), List.of(),
                dev.latchkey.core.authz.tuple.ConditionContext.EMPTY, FgaJson.consistency(b));
        ObjectNode result = json.object();
        for (Map.Entry<String, RelationService.BatchResult> e : relations.batchCheck(q, items).entrySet()) {
            switch (e.getValue()) {
                case RelationService.BatchResult.Allowed a -> result.set(e.getKey(), json.object().put("allowed", a.allowed()));
                case RelationService.BatchResult.Failed f -> {
                    ObjectNode err = json.object();
                    err.putObject("error").put("input_error", f.error().code().wireName()).put("message", f.error().publicMessage());
                    result.set(e.getKey(), err);
                }
            }
        }
        ObjectNode out = json.object();
        out.set("result", result);
        http.write(ctx, 200, out);
    }

    private void expand(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "tuple_key", "authorization_model_id", "consistency", "contextual_tuples");
        JsonNode k = FgaHttp.required(b, "tuple_key");
        FgaJson.only(k, "tuple_key", "relation", "object");
        ObjectRef object = ObjectRef.parse(FgaJson.required(k, "object"));
        var tree = relations.expand(query(store, b), object, FgaJson.required(k, "relation"));
        ObjectNode out = json.object();
        out.putObject("tree").set("root", json.tree(tree));
        http.write(ctx, 200, out);
    }

    private void listObjects(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "authorization_model_id", "type", "relation", "user", "contextual_tuples", "context", "consistency");
        List<String> objects = relations.listObjects(query(store, b), FgaJson.required(b, "type"), FgaJson.required(b, "relation"),
                User.parse(FgaJson.required(b, "user")));
        ObjectNode out = json.object();
        ArrayNode arr = out.putArray("objects");
        objects.forEach(arr::add);
        http.write(ctx, 200, out);
    }

    private void listUsers(Context ctx, FgaPrincipal who) {
        String store = store(ctx, who).id();
        JsonNode b = http.body(ctx);
        FgaJson.only(b, "body", "authorization_model_id", "object", "relation", "user_filters", "contextual_tuples", "context", "consistency");
        JsonNode o = FgaHttp.required(b, "object");
        FgaJson.only(o, "object", "type", "id");
        ObjectRef object = ObjectRef.parse(FgaJson.required(o, "type") + ":" + FgaJson.required(o, "id"));
        JsonNode filters = FgaHttp.required(b, "user_filters");
        if (!filters.isArray() || filters.size() != 1) {
            throw FgaJson.invalid("'user_filters' must have exactly one filter");
        }
        JsonNode f = filters.get(0);
        FgaJson.only(f, "user_filters[]", "type", "relation");
        List<User> users = relations.listUsers(query(store, b), object, FgaJson.required(b, "relation"), FgaJson.required(f, "type"),
                FgaJson.text(f, "relation").orElse(null));
        ObjectNode out = json.object();
        ArrayNode arr = out.putArray("users");
        users.forEach(u -> arr.add(json.user(u)));
        http.write(ctx, 200, out);
    }

    // ---- plumbing

    private FgaStore store(Context ctx, FgaPrincipal who) {
        FgaStore s = relations.store(ctx.pathParam("store_id"));
        if (!who.mayUse(s)) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_STORE_NOT_FOUND, "store '" + s.id() + "' not found", "store of another org");
        }
        return s;
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw FgaJson.invalid("'org_id' must be an organization id (a UUID)");
        }
    }
}
