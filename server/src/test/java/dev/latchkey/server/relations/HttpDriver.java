package dev.latchkey.server.relations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.server.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Drives the OpenFGA-compatible HTTP API of a real server with raw JSON, as OpenFGA's documentation shows it. */
final class HttpDriver implements CaseDriver {
    static final String ADMIN_KEY = "lka_relation-cases-bootstrap-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private HttpDriver(TestServer server) {
        this.server = server;
    }

    static CaseDriver start() {
        return new HttpDriver(TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY)));
    }

    JsonNode call(String method, String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base + "/fga" + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ADMIN_KEY);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode n = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 300) {
                if (r.statusCode() >= 500) {
                    throw new AssertionError("server error " + r.statusCode() + ": " + r.body());
                }
                throw new Failure(n.path("code").asText(), n.path("message").asText());
            }
            return n;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String createStore(String name) {
        return call("POST", "/stores", JSON.createObjectNode().put("name", name)).get("id").asText();
    }

    @Override
    public String writeModel(String store, String dsl) {
        JsonNode model;
        try {
            model = JSON.readTree(ModelJson.write(ModelDsl.parse(dsl)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (dev.latchkey.core.error.LatchkeyException e) {
            throw new Failure(e.code().wireName(), e.publicMessage()); // the DSL is the client's to parse (as OpenFGA's CLI does)
        }
        return call("POST", "/stores/" + store + "/authorization-models", model).get("authorization_model_id").asText();
    }

    @Override
    public void write(String store, List<JsonNode> writes, List<JsonNode> deletes) {
        ObjectNode body = JSON.createObjectNode();
        if (!writes.isEmpty()) {
            body.putObject("writes").putArray("tuple_keys").addAll(writes);
        }
        if (!deletes.isEmpty()) {
            ArrayNode d = body.putObject("deletes").putArray("tuple_keys");
            deletes.forEach(t -> d.add(((ObjectNode) t.deepCopy()).without("condition")));
        }
        call("POST", "/stores/" + store + "/write", body);
    }

    private static ObjectNode withContextual(JsonNode q, ObjectNode body, boolean wrapped) {
        if (q.has("contextual_tuples")) {
            if (wrapped) {
                body.putObject("contextual_tuples").set("tuple_keys", q.get("contextual_tuples"));
            } else {
                body.set("contextual_tuples", q.get("contextual_tuples"));
            }
        }
        if (q.has("context")) {
            body.set("context", q.get("context"));
        }
        body.put("consistency", "HIGHER_CONSISTENCY");
        return body;
    }

    @Override
    public boolean check(String store, JsonNode q) {
        ObjectNode body = withContextual(q, JSON.createObjectNode(), true);
        body.set("tuple_key", q.get("tuple_key"));
        return call("POST", "/stores/" + store + "/check", body).get("allowed").asBoolean();
    }

    @Override
    public List<String> listObjects(String store, JsonNode q) {
        ObjectNode body = withContextual(q, JSON.createObjectNode(), true).put("type", q.get("type").asText())
                .put("relation", q.get("relation").asText()).put("user", q.get("user").asText());
        List<String> out = new ArrayList<>();
        call("POST", "/stores/" + store + "/list-objects", body).get("objects").forEach(o -> out.add(o.asText()));
        return out;
    }

    @Override
    public List<String> listUsers(String store, JsonNode q) {
        String object = q.get("object").asText();
        String filter = q.get("filter").asText();
        int hash = filter.indexOf('#');
        ObjectNode body = withContextual(q, JSON.createObjectNode(), false).put("relation", q.get("relation").asText());
        body.putObject("object").put("type", object.substring(0, object.indexOf(':'))).put("id", object.substring(object.indexOf(':') + 1));
        ObjectNode f = body.putArray("user_filters").addObject().put("type", hash < 0 ? filter : filter.substring(0, hash));
        if (hash >= 0) {
            f.put("relation", filter.substring(hash + 1));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode u : call("POST", "/stores/" + store + "/list-users", body).get("users")) {
            if (u.has("object")) {
                out.add(u.get("object").get("type").asText() + ":" + u.get("object").get("id").asText());
            } else if (u.has("wildcard")) {
                out.add(u.get("wildcard").get("type").asText() + ":*");
            } else {
                JsonNode s = u.get("userset");
                out.add(s.get("type").asText() + ":" + s.get("id").asText() + "#" + s.get("relation").asText());
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
    }
}
