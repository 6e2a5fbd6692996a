package dev.latchkey.server.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refused API-key exchanges at the token endpoint, over real HTTP and PostgreSQL: each is audited as
 * {@code api_key_refused} with the client and the key's public id (never the key), and exchanges are rate-limited per
 * client and key id and per client ({@code rate_limited}, 429 with Retry-After), before the key is looked at.
 */
class ApiKeyRefusalsTest {
    static final String ADMIN_KEY = "lka_refusals-test-admin-key-0123456789abcdef";
    static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String API_KEY_TYPE = "urn:latchkey:params:oauth:token-type:api-key";
    static TestServer ts;
    static String user;

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY,
                "LATCHKEY_RATELIMIT_API_KEY_EXCHANGE_PER_KEY", "3/1h", "LATCHKEY_RATELIMIT_API_KEY_EXCHANGE_PER_CLIENT", "6/1h"));
        String email = "refusals-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(ts.base).postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        user = ts.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id().toString();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static Http.Response admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    /** A confidential client with the token-exchange grant; returns its Basic authorization. */
    static String client(String id) {
        String secret = admin("POST", "/admin/v1/clients", """
                {"client_id":"%s","grant_types":["client_credentials","%s"]}""".formatted(id, EXCHANGE)).json().get("client_secret").asText();
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static String newKey() {
        return admin("POST", "/admin/v1/users/" + user + "/api-keys", "{\"name\":\"k\"}").json().get("key").asText();
    }

    static Http.Response exchange(String basic, String key) {
        return new Http(ts.base).postForm("/oauth2/token", Map.of("grant_type", EXCHANGE, "subject_token", key,
                "subject_token_type", API_KEY_TYPE), "Authorization", basic);
    }

    static void assertRefused(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(r.json().get("error_description").asText()).isEqualTo(ApiKeys.REFUSED);
    }

    static void assertLimited(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(429);
        assertThat(r.json().get("error").asText()).isEqualTo("rate_limited");
        assertThat(r.header("Retry-After")).isNotNull();
    }

    /** A key with the same id and another secret (same length and alphabet). */
    static String wrongSecret(String key) {
        int last = key.lastIndexOf('_');
        String secret = key.substring(last + 1);
        return key.substring(0, last + 1) + (secret.charAt(0) == 'A' ? 'B' : 'A') + secret.substring(1);
    }

    static String publicId(String key) {
        return key.split("_")[2];
    }

    record Audited(String subject, String clientId, String detail) {
    }

    static List<Audited> refusals(String clientId) {
        return ts.backend().database().jdbc().query("SELECT subject, client_id, detail FROM audit_events WHERE type = 'api_key_refused' "
                + "AND client_id = ? ORDER BY id", rs -> new Audited(rs.getString(1), rs.getString(2), rs.getString(3)), clientId);
    }

    @Test
    void aRefusedExchangeIsAuditedWithTheClientAndTheKeyIdButNeverTheKey() {
        String basic = client("refusal-audit");
        String key = newKey();
        String wrong = wrongSecret(key);
        assertRefused(exchange(basic, wrong));
        assertRefused(exchange(basic, "lk_not-a-key"));

        List<Audited> audited = refusals("refusal-audit");
        assertThat(audited).hasSize(2);
        assertThat(audited.get(0).subject()).isEqualTo(publicId(key));
        assertThat(audited.get(0).detail()).contains(publicId(key)).contains("wrong secret");
        assertThat(audited.get(1).subject()).as("a text that is no key has no id").isNull();
        assertThat(audited.get(1).detail()).contains("malformed");
        String secret = key.substring(key.lastIndexOf('_') + 1);
        String wrongText = wrong.substring(wrong.lastIndexOf('_') + 1);
        assertThat(audited.toString()).doesNotContain(secret).doesNotContain(wrongText).doesNotContain("not-a-key");

        assertThat(exchange(basic, key).status()).as("the right key still works").isEqualTo(200);
        assertThat(refusals("refusal-audit")).as("a successful exchange is not a refusal").hasSize(2);
    }

    @Test
    void exchangesAreLimitedPerClientAndKeyIdAndPerClient() {
        String basic = client("refusal-limits");
        String key = newKey();
        String wrong = wrongSecret(key);
        // per client and key id: 3 per hour, counted before the key is looked at
        assertRefused(exchange(basic, wrong));
        assertRefused(exchange(basic, wrong));
        assertRefused(exchange(basic, wrong));
        assertLimited(exchange(basic, wrong));
        assertLimited(exchange(basic, key));
        assertThat(refusals("refusal-limits")).as("a limited request is not looked at, so not refused").hasSize(3);

        // another client with the same key id has its own bucket
        String other = client("refusal-limits-other");
        assertThat(exchange(other, key).status()).isEqualTo(200);

        // the same client with another key id: allowed, until the client's own limit (6 per hour: 5 used above)
        String second = newKey();
        assertThat(exchange(basic, second).status()).isEqualTo(200);
        assertLimited(exchange(basic, newKey()));
        assertThat(exchange(other, second).status()).as("the other client is not limited").isEqualTo(200);
    }
}
