package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may call the relations API, and how refusals and bad input are answered (OpenFGA's error shape, never a 5xx). */
class FgaApiAccessTest {
    static final String ADMIN_KEY = "lka_fga-access-test-bootstrap-key-0123456789abcdef";
    static TestServer server;
    static Http http;
    static String store;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        http = new Http(server.base);
        store = http.postJson("/fga/stores", "{\"name\":\"access\"}", admin()).json().get("id").asText();
        String model = ModelJson.write(ModelDsl.parse("model\n schema 1.1\ntype user\ntype doc\n relations\n  define viewer: [user]\n"));
        assertThat(http.postJson("/fga/stores/" + store + "/authorization-models", model, admin()).status()).isEqualTo(201);
        assertThat(http.postJson("/fga/stores/" + store + "/write", "{\"writes\":{\"tuple_keys\":[{\"user\":\"user:a\",\"relation\":\"viewer\","
                + "\"object\":\"doc:1\"}]}}", admin()).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String[] admin() {
        return new String[] {"Authorization", "Bearer " + ADMIN_KEY};
    }

    static String clientToken(String id, String scope) {
        JsonNode c = http.postJson("/admin/v1/clients", "{\"client_id\":\"" + id + "\",\"grant_types\":[\"client_credentials\"],\"scope\":\"" + scope
                + "\",\"token_endpoint_auth_method\":\"client_secret_post\"}", admin()).json();
        return http.postForm("/oauth2/token", Map.of("grant_type", "client_credentials", "client_id", id, "client_secret",
                c.get("client_secret").asText())).json().get("access_token").asText();
    }

    static final String CHECK = "{\"tuple_key\":{\"user\":\"user:a\",\"relation\":\"viewer\",\"object\":\"doc:1\"}}";

    @Test
    void credentialsAreRequiredAndChecked() {
        Http.Response none = http.postJson("/fga/stores/" + store + "/check", CHECK);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("code").asText()).isEqualTo("unauthenticated");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(http.postJson("/fga/stores/" + store + "/check", CHECK, "Authorization", "Bearer lka_wrong").status()).isEqualTo(401);
        assertThat(http.postJson("/fga/stores/" + store + "/check", CHECK, "Authorization", "Bearer not.a.jwt").status()).isEqualTo(401);
        assertThat(http.get("/fga/stores", "Authorization", "Bearer " + ADMIN_KEY).json().get("stores")).isNotEmpty();
    }

    @Test
    void readScopeReadsAndQueriesButCannotWrite() {
        String token = clientToken("fga-reader", "latchkey:fga:read");
        String[] auth = {"Authorization", "Bearer " + token};
        assertThat(http.postJson("/fga/stores/" + store + "/check", CHECK, auth).json().get("allowed").asBoolean()).isTrue();
        assertThat(http.get("/fga/stores/" + store + "/changes", auth).status()).isEqualTo(200);
        Http.Response write = http.postJson("/fga/stores/" + store + "/write", "{\"writes\":{\"tuple_keys\":[{\"user\":\"user:b\",\"relation\":"
                + "\"viewer\",\"object\":\"doc:1\"}]}}", auth);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.json().get("code").asText()).isEqualTo("insufficient_scope");
        assertThat(http.postJson("/fga/stores", "{\"name\":\"x\"}", auth).status()).isEqualTo(403);
    }

    @Test
    void fullScopeWritesAndOtherScopesAndUserTokensAreRefused() {
        String writer = clientToken("fga-writer", "latchkey:fga");
        assertThat(http.postJson("/fga/stores/" + store + "/write", "{\"writes\":{\"tuple_keys\":[{\"user\":\"user:w\",\"relation\":"
                + "\"viewer\",\"object\":\"doc:1\"}]}}", "Authorization", "Bearer " + writer).status()).isEqualTo(200);
        String other = clientToken("not-fga", "reports:read");
        assertThat(http.postJson("/fga/stores/" + store + "/check", CHECK, "Authorization", "Bearer " + other).status()).isEqualTo(403);
        Http.Response signup = http.postJson("/api/auth/signup", "{\"email\":\"fga-user@example.com\",\"password\":\"correct horse battery 9\"}");
        String userToken = signup.json().get("access_token").asText();
        Http.Response r = http.postJson("/fga/stores/" + store + "/check", CHECK, "Authorization", "Bearer " + userToken);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asText()).isEqualTo("forbidden");
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @CsvSource(delimiter = '|', value = {
        "POST|/check|{\"tuple_key\":{\"user\":\"user:a\",\"relation\":\"viewer\"}}|400|validation_error",
        "POST|/check|{\"tuple_key\":{\"user\":\"user:a\",\"relation\":\"viewer\",\"object\":\"doc:1\"},\"bogus\":1}|400|validation_error",
        "POST|/check|not json|400|validation_error",
        "POST|/check|[]|400|validation_error",
        "POST|/check|{\"tuple_key\":{\"user\":\"user:a\",\"relation\":\"nope\",\"object\":\"doc:1\"}}|400|validation_error",
        "POST|/check|{\"tuple_key\":{\"user\":\"user:a\",\"relation\":\"viewer\",\"object\":\"doc:1\"},\"consistency\":\"SOMETIMES\"}|400|validation_error",
        "POST|/check|{\"tuple_key\":{\"user\":\"user:a\",\"relation\":\"viewer\",\"object\":\"doc:1\"},\"authorization_model_id\":\"01HXXXXXXXXXXXXXXXXXXXXXXX\"}|404|authorization_model_not_found",
        "POST|/write|{}|400|validation_error",
        "POST|/write|{\"writes\":{\"tuple_keys\":[{\"user\":\"user:a\",\"relation\":\"viewer\",\"object\":\"doc:1\"}],\"on_duplicate\":\"maybe\"}}|400|validation_error",
        "POST|/read|{\"continuation_token\":\"%%%\"}|400|invalid_continuation_token",
        "POST|/read|{\"tuple_key\":{\"relation\":\"viewer\"}}|400|validation_error",
        "POST|/list-users|{\"object\":{\"type\":\"doc\",\"id\":\"1\"},\"relation\":\"viewer\",\"user_filters\":[]}|400|validation_error",
        "POST|/list-objects|{\"type\":\"doc\",\"relation\":\"viewer\",\"user\":\"user\"}|400|validation_error",
        "POST|/batch-check|{\"checks\":[]}|400|validation_error",
        "POST|/authorization-models|{\"schema_version\":\"1.1\",\"type_definitions\":[{\"type\":\"d\",\"relations\":{\"a\":{\"computedUserset\":{\"relation\":\"a\"}}}}]}|400|invalid_authorization_model",
    })
    void badInputIsASpecificClientError(String method, String path, String body, int status, String code) {
        Http.Response r = http.postJson("/fga/stores/" + store + path, body, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        assertThat(r.json().get("message").asText()).isNotBlank();
    }

    @Test
    void storesMayBelongToAnOrganization() {
        String org = http.postJson("/admin/v1/orgs", "{\"name\":\"Acme\"}", admin()).json().get("id").asText();
        Http.Response created = http.postJson("/fga/stores", "{\"name\":\"acme\",\"org_id\":\"" + org + "\"}", admin());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("org_id").asText()).isEqualTo(org);
        Http.Response unknown = http.postJson("/fga/stores", "{\"name\":\"x\",\"org_id\":\"0190f2a4-0000-7000-8000-000000000000\"}", admin());
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().get("message").asText()).contains("not found");
        assertThat(http.postJson("/fga/stores", "{\"name\":\"x\",\"org_id\":\"acme\"}", admin()).status()).isEqualTo(400);
        assertThat(http.postJson("/fga/stores", "{\"name\":\"\"}", admin()).status()).isEqualTo(400);
    }

    @Test
    void unknownStoresAndWrongContentTypes() {
        Http.Response unknown = http.postJson("/fga/stores/01HZZZZZZZZZZZZZZZZZZZZZZZ/check", CHECK, admin());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asText()).isEqualTo("store_id_not_found");
        assertThat(http.postJson("/fga/stores/not-a-ulid/check", CHECK, admin()).status()).isEqualTo(400);
        Http.Response form = http.post("/fga/stores/" + store + "/check", "text/plain", CHECK, admin());
        assertThat(form.status()).isEqualTo(415);
    }
}
