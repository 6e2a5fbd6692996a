package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A non-browser caller with an API key on a proxied API route, through the gateway against a real server: the key
 * (X-API-Key or Bearer lk_…) is exchanged once as the gateway's client and the token relayed as Bearer, without
 * a session cookie or CSRF header; the key never reaches the upstream; a wrong key is 401 api_key_invalid.
 */
class GatewayApiKeyTest {
    static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static Http.Response admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(f.idp.base).send(HttpRequest.newBuilder(URI.create(f.idp.base + path)).method(method, body)
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    @Test
    void anApiKeyIsExchangedOnceAndRelayedAsBearerAndNeverReachesTheUpstream() throws Exception {
        String user = f.userId(f.newUser()).toString();
        String key = admin("POST", "/admin/v1/users/" + user + "/api-keys", "{\"name\":\"script\"}").json().get("key").asText();
        Http gw = new Http("http://127.0.0.1:" + f.port);

        Http.Response viaHeader = gw.post("/api/notes/1", "application/json", "{}", "X-API-Key", key);
        assertThat(viaHeader.status()).as(viaHeader.body()).isEqualTo(200);
        JsonNode headers = viaHeader.json().get("headers");
        assertThat(headers.has("x-api-key")).isFalse();
        String relayed = headers.get("authorization").asText();
        assertThat(relayed).startsWith("Bearer ey").doesNotContain(key);
        assertThat(SignedJWT.parse(relayed.substring(7)).getJWTClaimsSet().getSubject()).isEqualTo(user);

        Http.Response viaBearer = gw.get("/api/notes/2", "Authorization", "Bearer " + key);
        assertThat(viaBearer.status()).as(viaBearer.body()).isEqualTo(200);
        assertThat(viaBearer.json().get("headers").get("authorization").asText()).as("cached: the same token").isEqualTo(relayed);

        String[] parts = key.split("_");
        String wrong = "lk_live_" + parts[2] + "_" + (parts[3].charAt(0) == 'A' ? "B" : "A") + parts[3].substring(1);
        Http.Response refused = gw.get("/api/notes/3", "X-API-Key", wrong);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("api_key_invalid");

        Http.Response both = gw.get("/api/notes/4", "X-API-Key", key, "Authorization", "Bearer " + key);
        assertThat(both.status()).isEqualTo(400);
    }
}
