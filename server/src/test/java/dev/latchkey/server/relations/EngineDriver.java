package dev.latchkey.server.relations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.authz.cel.CelConditions;
import dev.latchkey.core.authz.Consistency;
import dev.latchkey.core.authz.RelationService;
import dev.latchkey.core.authz.RelationStore;
import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.TupleCondition;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Drives {@link RelationService} directly, over any {@link RelationStore} (in memory, or PostgreSQL). */
final class EngineDriver implements CaseDriver {
    private final RelationService service;
    private final AutoCloseable resource;

    EngineDriver(RelationStore store, AutoCloseable resource) {
        this.service = new RelationService(store, new CelConditions(), Limits.DEFAULTS, Clock.systemUTC(), Duration.ZERO);
        this.resource = resource;
    }

    @Override
    public String createStore(String name) {
        return call(() -> service.createStore(name, Optional.empty()).id());
    }

    @Override
    public String writeModel(String store, String dsl) {
        return call(() -> service.writeModel(store, ModelDsl.parse(dsl)));
    }

    @Override
    public void write(String store, List<JsonNode> writes, List<JsonNode> deletes) {
        call(() -> {
            service.write(store, Optional.empty(), writes.stream().map(EngineDriver::tuple).toList(), false,
                    deletes.stream().map(EngineDriver::tuple).toList(), false);
            return null;
        });
    }

    @Override
    public boolean check(String store, JsonNode q) {
        return call(() -> {
            JsonNode k = q.get("tuple_key");
            return service.check(query(store, q), ObjectRef.parse(k.get("object").asText()), k.get("relation").asText(),
                    User.parse(k.get("user").asText()));
        });
    }

    @Override
    public List<String> listObjects(String store, JsonNode q) {
        return call(() -> service.listObjects(query(store, q), q.get("type").asText(), q.get("relation").asText(), User.parse(q.get("user").asText())));
    }

    @Override
    public List<String> listUsers(String store, JsonNode q) {
        return call(() -> {
            String filter = q.get("filter").asText();
            int hash = filter.indexOf('#');
            return service.listUsers(query(store, q), ObjectRef.parse(q.get("object").asText()), q.get("relation").asText(),
                    hash < 0 ? filter : filter.substring(0, hash), hash < 0 ? null : filter.substring(hash + 1)).stream().map(User::toString).toList();
        });
    }

    private static RelationService.Query query(String store, JsonNode q) {
        List<RelationTuple> contextual = new ArrayList<>();
        if (q.has("contextual_tuples")) {
            q.get("contextual_tuples").forEach(t -> contextual.add(tuple(t)));
        }
        ConditionContext context = q.has("context") ? ConditionContext.parse(q.get("context").toString()) : ConditionContext.EMPTY;
        Consistency c = q.has("consistency") ? Consistency.parse(q.get("consistency").asText()) : Consistency.HIGHER_CONSISTENCY;
        return new RelationService.Query(store, Optional.empty(), contextual, context, c);
    }

    static RelationTuple tuple(JsonNode t) {
        RelationTuple plain = RelationTuple.of(t.get("object").asText(), t.get("relation").asText(), t.get("user").asText());
        JsonNode c = t.get("condition");
        if (c == null || c.isNull()) {
            return plain;
        }
        ConditionContext ctx = c.has("context") ? ConditionContext.parse(c.get("context").toString()) : ConditionContext.EMPTY;
        return new RelationTuple(plain.object(), plain.relation(), plain.user(), Optional.of(new TupleCondition(c.get("name").asText(), ctx)));
    }

    private static <T> T call(Supplier<T> s) {
        try {
            return s.get();
        } catch (LatchkeyException e) {
            throw new Failure(e.code().wireName(), e.publicMessage());
        }
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
