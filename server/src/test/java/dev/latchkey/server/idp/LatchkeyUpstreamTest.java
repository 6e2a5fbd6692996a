package dev.latchkey.server.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.oidc.OidcFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Latchkey-to-Latchkey preset: a second Latchkey server in-process is the upstream OpenID Connect provider. */
class LatchkeyUpstreamTest {
    static OidcFixture upstream;
    static TestServer downstream;

    @BeforeAll
    static void start() {
        upstream = new OidcFixture(Map.of());
        int port = TestServer.freePort();
        JsonNode client = upstream.register("""
                {"client_id":"downstream","client_name":"Downstream Latchkey","redirect_uris":["http://localhost:%d/login/idp/callback"],
                 "grant_types":["authorization_code"],"scope":"openid profile email","first_party":true}""".formatted(port));
        downstream = TestServer.start(Map.of("LATCHKEY_HTTP_PORT", Integer.toString(port),
                "LATCHKEY_IDP_PROVIDERS", "hq",
                "LATCHKEY_IDP_HQ_PRESET", "latchkey",
                "LATCHKEY_IDP_HQ_ISSUER", upstream.base,
                "LATCHKEY_IDP_HQ_LABEL", "Headquarters",
                "LATCHKEY_IDP_HQ_CLIENT_ID", "downstream",
                "LATCHKEY_IDP_HQ_CLIENT_SECRET", client.get("client_secret").asText()));
    }

    @AfterAll
    static void stop() {
        downstream.close();
        upstream.close();
    }

    @Test
    void aUserOfTheUpstreamLatchkeySignsInDownstreamAsOneUnifiedUser() {
        String email = upstream.newUser();
        Http down = new Http(downstream.base);
        Http.Response start = down.get("/login/idp/hq?return_to=%2Faccount");
        assertThat(start.status()).isEqualTo(302);
        assertThat(start.header("Location")).startsWith(upstream.base + "/oauth2/authorize?");
        Http up = new Http(upstream.base);
        String callback = upstream.browse(up, start.header("Location"), email, downstream.base + "/login/idp/callback");
        assertThat(callback).contains("code=", "iss=");
        Http.Response done = down.get(callback);
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        Http.Response account = down.get("/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains(email, "Headquarters");
        String id = FederationFixture.find(account.body(), "<dt>User id</dt><dd><code>([0-9a-f-]{36})</code>");

        // again, in another browser already signed in upstream: the same downstream user
        Http down2 = new Http(downstream.base);
        Http.Response again = down2.get("/login/idp/hq");
        String cb2 = upstream.browse(up, again.header("Location"), email, downstream.base + "/login/idp/callback");
        assertThat(down2.get(cb2).status()).isEqualTo(303);
        Http.Response account2 = down2.get("/account");
        assertThat(FederationFixture.find(account2.body(), "<dt>User id</dt><dd><code>([0-9a-f-]{36})</code>")).isEqualTo(id);
    }
}
