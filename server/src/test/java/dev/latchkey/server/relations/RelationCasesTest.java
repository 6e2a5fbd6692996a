package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.latchkey.testkit.memory.MemoryRelationStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The data-driven relation cases ({@code src/test/resources/relations/*.yaml}): each case a model, tuples and
 * assertions (check, list-objects, list-users, and the errors of invalid models, writes and queries), run over the
 * engine with the in-memory store, the engine with the PostgreSQL store, and the OpenFGA-compatible HTTP API of a
 * real server. The same YAML, the same expectations.
 */
class RelationCasesTest {
    static final String[] FILES = {"basics.yaml", "operators.yaml", "conditions.yaml", "contextual.yaml", "cycles-and-limits.yaml",
            "errors.yaml"};
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<CaseDriver> OPEN = new ArrayList<>();

    @TestFactory
    Stream<DynamicNode> engineInMemory() {
        return cases(() -> new EngineDriver(new MemoryRelationStore(), () -> { }));
    }

    @TestFactory
    Stream<DynamicNode> engineOnPostgres() {
        return cases(PgDriver::open);
    }

    @TestFactory
    Stream<DynamicNode> httpApi() {
        return cases(HttpDriver::start);
    }

    @AfterAll
    static void closeDrivers() {
        OPEN.forEach(CaseDriver::close);
    }

    private Stream<DynamicNode> cases(Supplier<CaseDriver> factory) {
        CaseDriver[] driver = new CaseDriver[1];
        Supplier<CaseDriver> lazy = () -> {
            if (driver[0] == null) {
                driver[0] = factory.get();
                OPEN.add(driver[0]);
            }
            return driver[0];
        };
        return Stream.of(FILES).map(file -> DynamicContainer.dynamicContainer(file, load(file).stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> run(lazy.get(), c)))));
    }

    private static List<JsonNode> load(String file) {
        try (InputStream in = RelationCasesTest.class.getResourceAsStream("/relations/" + file)) {
            List<JsonNode> out = new ArrayList<>();
            YAML.readTree(in).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(file, e);
        }
    }

    static void run(CaseDriver d, JsonNode c) {
        String store = d.createStore("case");
        if (c.has("model_error")) {
            assertFailure(() -> d.writeModel(store, c.get("model").asText()), c.get("model_error"));
            return;
        }
        d.writeModel(store, c.get("model").asText());
        if (c.has("tuples")) {
            List<JsonNode> tuples = new ArrayList<>();
            c.get("tuples").forEach(t -> tuples.add(tupleKey(t)));
            for (int i = 0; i < tuples.size(); i += 100) {
                d.write(store, tuples.subList(i, Math.min(i + 100, tuples.size())), List.of());
            }
        }
        for (JsonNode w : iter(c, "write_errors")) {
            List<JsonNode> tuples = new ArrayList<>();
            w.get("tuples").forEach(t -> tuples.add(tupleKey(t)));
            List<JsonNode> deletes = new ArrayList<>();
            iter(w, "deletes").forEach(t -> deletes.add(tupleKey(t)));
            assertFailure(() -> {
                d.write(store, tuples, deletes);
                return null;
            }, w);
        }
        for (JsonNode a : iter(c, "checks")) {
            ObjectNode q = query(a);
            q.set("tuple_key", YAML.createObjectNode().put("object", a.get("object").asText()).put("relation", a.get("relation").asText())
                    .put("user", a.get("user").asText()));
            if (a.has("error")) {
                assertFailure(() -> d.check(store, q), a.get("error"));
            } else {
                assertThat(d.check(store, q)).as("check %s#%s@%s", a.get("object").asText(), a.get("relation").asText(), a.get("user").asText())
                        .isEqualTo(a.get("allowed").asBoolean());
            }
        }
        for (JsonNode a : iter(c, "list_objects")) {
            ObjectNode q = query(a);
            q.put("type", a.get("type").asText()).put("relation", a.get("relation").asText()).put("user", a.get("user").asText());
            if (a.has("error")) {
                assertFailure(() -> d.listObjects(store, q), a.get("error"));
            } else {
                assertThat(d.listObjects(store, q)).as("list objects %s %s %s", a.get("type").asText(), a.get("relation").asText(),
                        a.get("user").asText()).containsExactlyInAnyOrderElementsOf(strings(a.get("objects")));
            }
        }
        for (JsonNode a : iter(c, "list_users")) {
            ObjectNode q = query(a);
            q.put("object", a.get("object").asText()).put("relation", a.get("relation").asText()).put("filter", a.get("filter").asText());
            if (a.has("error")) {
                assertFailure(() -> d.listUsers(store, q), a.get("error"));
            } else {
                assertThat(d.listUsers(store, q)).as("list users %s#%s filter %s", a.get("object").asText(), a.get("relation").asText(),
                        a.get("filter").asText()).containsExactlyInAnyOrderElementsOf(strings(a.get("users")));
            }
        }
    }

    private static ObjectNode query(JsonNode a) {
        ObjectNode q = YAML.createObjectNode();
        if (a.has("context")) {
            q.set("context", a.get("context"));
        }
        if (a.has("contextual_tuples")) {
            var arr = q.putArray("contextual_tuples");
            a.get("contextual_tuples").forEach(t -> arr.add(tupleKey(t)));
        }
        return q;
    }

    /** {@code "document:1#viewer@user:anne"} or an object {object, relation, user, condition}. */
    static JsonNode tupleKey(JsonNode t) {
        if (!t.isTextual()) {
            return t;
        }
        String s = t.asText();
        int hash = s.indexOf('#');
        int at = s.indexOf('@', hash);
        return YAML.createObjectNode().put("object", s.substring(0, hash)).put("relation", s.substring(hash + 1, at)).put("user", s.substring(at + 1));
    }

    private static void assertFailure(Supplier<?> call, JsonNode expected) {
        String code = expected.isTextual() ? expected.asText() : expected.get("code").asText();
        String message = expected.isObject() && expected.has("message") ? expected.get("message").asText() : "";
        assertThatThrownBy(call::get).isInstanceOfSatisfying(CaseDriver.Failure.class, f -> {
            assertThat(f.code).isEqualTo(code);
            assertThat(f.getMessage()).contains(message);
        });
    }

    private static Iterable<JsonNode> iter(JsonNode n, String field) {
        return n.has(field) ? n.get(field) : List.of();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        if (arr == null) {
            fail("expected values missing");
        }
        arr.forEach(x -> out.add(x.asText()));
        return out;
    }
}
