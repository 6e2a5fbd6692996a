package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CORS answers a browser needs before it lets a script read token, userinfo and revocation
 * responses (found by {@link BrowserAppOauth4webapiTest}: a browser app could not exchange its
 * code). Endpoints only servers call stay closed to scripts.
 */
class CorsTest {
    static final String APP = "http://127.0.0.1:5173";
    static OidcFixture fx;

    @BeforeAll
    static void setUp() {
        fx = new OidcFixture(Map.of());
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static Http.Response preflight(String path, String method, String headers) {
        return new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP).header("Access-Control-Request-Method", method).header("Access-Control-Request-Headers", headers));
    }

    @Test
    void preflightsAllowWhatBrowserAppsSend() {
        Http.Response userinfo = preflight("/oauth2/userinfo", "GET", "authorization");
        assertThat(userinfo.status()).isEqualTo(204);
        assertThat(userinfo.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(userinfo.header("Access-Control-Allow-Headers")).containsIgnoringCase("authorization");
        assertThat(userinfo.header("Access-Control-Allow-Methods")).contains("GET");
        assertThat(userinfo.header("Access-Control-Allow-Credentials")).isNull();
        for (String path : new String[] {"/oauth2/token", "/oauth2/revoke"}) {
            Http.Response p = preflight(path, "POST", "authorization, content-type");
            assertThat(p.status()).as(path).isEqualTo(204);
            assertThat(p.header("Access-Control-Allow-Methods")).as(path).isEqualTo("POST");
        }
    }

    @Test
    void responsesAndErrorsAreReadableByAnyOriginWithoutCredentials() {
        Http.Response token = new Http(fx.base).postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "client_id", "nobody",
                "code", "x", "code_verifier", "y".repeat(43), "redirect_uri", APP + "/cb"), "Origin", APP);
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(token.header("Access-Control-Allow-Credentials")).isNull();

        Http.Response userinfo = new Http(fx.base).get("/oauth2/userinfo", "Origin", APP, "Authorization", "Bearer nope");
        assertThat(userinfo.status()).isEqualTo(401);
        assertThat(userinfo.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(userinfo.header("Access-Control-Expose-Headers")).isEqualTo("WWW-Authenticate");

        Http.Response revoke = new Http(fx.base).postForm("/oauth2/revoke", Map.of("token", "x", "client_id", "nobody"), "Origin", APP);
        assertThat(revoke.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }

    @Test
    void serverToServerEndpointsStayClosedToScripts() {
        for (String path : new String[] {"/oauth2/introspect", "/oauth2/par"}) {
            Http.Response r = new Http(fx.base).postForm(path, Map.of("token", "x"), "Origin", APP);
            assertThat(r.header("Access-Control-Allow-Origin")).as(path).isNull();
            assertThat(preflight(path, "POST", "authorization").header("Access-Control-Allow-Origin")).as(path).isNull();
        }
    }
}
