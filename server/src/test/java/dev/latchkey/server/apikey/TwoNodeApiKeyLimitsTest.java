package dev.latchkey.server.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.TestRedis;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The API-key exchange limits on two nodes sharing one PostgreSQL and one Redis: the count per client and key id is
 * the cluster's, so alternating nodes does not buy an attacker more attempts; every refusal is audited once, whichever
 * node refused it.
 */
class TwoNodeApiKeyLimitsTest {
    static final String ADMIN_KEY = "lka_two-node-limits-admin-key-0123456789abcdef";
    static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String API_KEY_TYPE = "urn:latchkey:params:oauth:token-type:api-key";

    @Test
    void theLimitPerClientAndKeyIdIsSharedByBothNodes() {
        Map<String, String> env = Map.of("LATCHKEY_REDIS_URL", TestRedis.requireReachable(), "LATCHKEY_ADMIN_API_KEY", ADMIN_KEY,
                "LATCHKEY_RATELIMIT_API_KEY_EXCHANGE_PER_KEY", "4/1h");
        try (TestServer a = TestServer.start(env); TestServer b = TestServer.secondNode(a, env)) {
            String clientId = "limits-" + UUID.randomUUID().toString().substring(0, 8);
            String secret = admin(a, "POST", "/admin/v1/clients", """
                    {"client_id":"%s","grant_types":["client_credentials","%s"]}""".formatted(clientId, EXCHANGE)).json()
                    .get("client_secret").asText();
            String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
            String email = "limits-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            assertThat(new Http(a.base).postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}")
                    .status()).isEqualTo(201);
            String user = a.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id().toString();
            String key = admin(a, "POST", "/admin/v1/users/" + user + "/api-keys", "{\"name\":\"k\"}").json().get("key").asText();
            String wrong = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");

            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                statuses.add(new Http(node.base).postForm("/oauth2/token", Map.of("grant_type", EXCHANGE, "subject_token", wrong,
                        "subject_token_type", API_KEY_TYPE), "Authorization", basic).status());
            }
            assertThat(statuses).as("four attempts in the cluster, then 429 on both nodes").containsExactly(400, 400, 400, 400, 429, 429);
            long audited = a.backend().database().jdbc().queryOne("SELECT count(*) FROM audit_events WHERE type = 'api_key_refused' AND client_id = ?",
                    rs -> rs.getLong(1), clientId).orElseThrow();
            assertThat(audited).as("one audit event per refusal, from either node").isEqualTo(4);
        }
    }

    static Http.Response admin(TestServer ts, String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }
}
