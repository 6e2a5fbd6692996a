package dev.latchkey.sdk.relations;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small client of Latchkey's relations API (OpenFGA-compatible, under {@code <issuer>/fga}) for one store:
 * {@link #check}, {@link #listObjects}, {@link #write}, and the reads {@link RelationMirror} needs. Authenticates
 * with a client-credentials token (scope {@code latchkey:fga}, or {@code latchkey:fga:read} for queries only).
 * For everything else, any OpenFGA SDK works against the same URL.
 *
 * <pre>{@code
 * RelationsClient fga = RelationsClient.connect("https://auth.example.com", clientId, secret, storeId);
 * boolean ok = fga.check("user:" + userId, "viewer", "note:" + noteId);
 * }</pre>
 */
public final class RelationsClient {
    private final HttpClient http;
    private final String base;
    private final String store;
    private final ClientCredentialsToken token;

    private RelationsClient(HttpClient http, String issuer, String store, ClientCredentialsToken token) {
        this.http = http;
        this.base = issuer + "/fga";
        this.store = Objects.requireNonNull(store, "store");
        this.token = token;
    }

    /** A client for {@code store} (a store id) at the issuer. */
    public static RelationsClient connect(String issuer, String clientId, String clientSecret, String store) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String iss = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return new RelationsClient(http, iss, store, new ClientCredentialsToken(http, iss, clientId, clientSecret, Clock.systemUTC()));
    }

    /** The store with this name, created (with {@code model}, OpenFGA JSON) when there is none; returns a client for it. */
    public static RelationsClient forStoreNamed(String issuer, String clientId, String clientSecret, String name, String modelJson) {
        RelationsClient root = connect(issuer, clientId, clientSecret, "-");
        Map<String, Object> stores = root.call("GET", "/stores?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), null);
        List<?> found = (List<?>) stores.get("stores");
        String id = found == null || found.isEmpty() ? (String) root.call("POST", "/stores", Map.of("name", name)).get("id")
                : (String) ((Map<?, ?>) found.get(0)).get("id");
        RelationsClient c = new RelationsClient(root.http, root.base.substring(0, root.base.length() - 4), id, root.token);
        c.ensureModel(modelJson);
        return c;
    }

    public String store() {
        return store;
    }

    /** Writes the model unless the store's latest model already has the same type definitions and conditions; returns the latest id. */
    public String ensureModel(String modelJson) {
        Map<String, Object> wanted = parse(modelJson);
        Optional<Map<String, Object>> latest = latestModel();
        if (latest.isPresent() && Objects.equals(latest.get().get("type_definitions"), wanted.get("type_definitions"))
                && Objects.equals(orEmpty(latest.get().get("conditions")), orEmpty(wanted.get("conditions")))) {
            return (String) latest.get().get("id");
        }
        Map<String, Object> body = new LinkedHashMap<>(wanted);
        body.remove("id");
        return (String) call("POST", "/stores/" + store + "/authorization-models", body).get("authorization_model_id");
    }

    private static Object orEmpty(Object o) {
        return o == null ? Map.of() : o;
    }

    /** The store's newest model (OpenFGA JSON), if it has one. */
    public Optional<Map<String, Object>> latestModel() {
        List<?> models = (List<?>) call("GET", "/stores/" + store + "/authorization-models?page_size=1", null).get("authorization_models");
        if (models == null || models.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) models.get(0);
        return Optional.of(m);
    }

    /** Does {@code user} have {@code relation} on {@code object}? Reads the latest writes ({@code HIGHER_CONSISTENCY}). */
    public boolean check(String user, String relation, String object) {
        Map<String, Object> body = Map.of("tuple_key", Map.of("user", user, "relation", relation, "object", object),
                "consistency", "HIGHER_CONSISTENCY");
        return Boolean.TRUE.equals(call("POST", "/stores/" + store + "/check", body).get("allowed"));
    }

    /** The objects of {@code type} on which {@code user} has {@code relation}. */
    public List<String> listObjects(String user, String relation, String type) {
        Map<String, Object> body = Map.of("user", user, "relation", relation, "type", type, "consistency", "HIGHER_CONSISTENCY");
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) call("POST", "/stores/" + store + "/list-objects", body).get("objects")) {
            out.add((String) o);
        }
        return out;
    }

    /** Writes and deletes in one transaction; an existing write or a missing delete is skipped, not an error. */
    public void write(List<Tuple> writes, List<Tuple> deletes) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!writes.isEmpty()) {
            body.put("writes", Map.of("tuple_keys", keys(writes), "on_duplicate", "ignore"));
        }
        if (!deletes.isEmpty()) {
            body.put("deletes", Map.of("tuple_keys", keys(deletes), "on_missing", "ignore"));
        }
        call("POST", "/stores/" + store + "/write", body);
    }

    /** The tuples on {@code object} (type:id), every page. */
    public List<Tuple> read(String object) {
        List<Tuple> out = new ArrayList<>();
        String token = "";
        do {
            Map<String, Object> page = call("POST", "/stores/" + store + "/read", Map.of("tuple_key", Map.of("object", object),
                    "page_size", 100, "continuation_token", token, "consistency", "HIGHER_CONSISTENCY"));
            for (Object o : (List<?>) page.get("tuples")) {
                Map<?, ?> k = (Map<?, ?>) ((Map<?, ?>) o).get("key");
                out.add(new Tuple((String) k.get("object"), (String) k.get("relation"), (String) k.get("user")));
            }
            token = (String) page.get("continuation_token");
        } while (token != null && !token.isEmpty());
        return out;
    }

    private static List<Object> keys(List<Tuple> ts) {
        List<Object> out = new ArrayList<>();
        ts.forEach(t -> out.add(Map.of("user", t.user(), "relation", t.relation(), "object", t.object())));
        return out;
    }

    /** One page of the change log after {@code token} ({@code ""}: from the start). */
    Map<String, Object> changes(String continuationToken, int pageSize) {
        return call("GET", "/stores/" + store + "/changes?page_size=" + pageSize + "&continuation_token="
                + URLEncoder.encode(continuationToken, StandardCharsets.UTF_8), null);
    }

    Map<String, Object> model(String id) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) call("GET", "/stores/" + store + "/authorization-models/" + id, null).get("authorization_model");
        return m;
    }

    Map<String, Object> call(String method, String path, Map<String, Object> body) {
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + token.get());
            if (body != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                throw new RelationsException(0, "unavailable", "cannot reach the relations API: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelationsException(0, "interrupted", "interrupted", e);
            }
            if (r.statusCode() == 401 && attempt == 0) {
                token.invalidate();
                continue;
            }
            Map<String, Object> m = r.body().isEmpty() ? Map.of() : parse(r.body());
            if (r.statusCode() >= 300) {
                throw new RelationsException(r.statusCode(), String.valueOf(m.get("code")), String.valueOf(m.get("message")), null);
            }
            return m;
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSONObjectUtils.parse(json);
        } catch (ParseException e) {
            throw new RelationsException(0, "invalid_response", "not JSON", e);
        }
    }

    @Override
    public String toString() {
        return "RelationsClient[" + base + ", store " + store + "]";
    }
}
