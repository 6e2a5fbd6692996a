package dev.latchkey.server.idp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API's identity providers: CRUD, the secret write-only and sealed at rest, configured providers read-only, bad input 4xx. */
class IdentityProvidersApiTest {
    static final String KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    static TestServer ts;
    static Http admin;

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", KEY, "LATCHKEY_IDP_PROVIDERS", "corp",
                "LATCHKEY_IDP_CORP_ISSUER", "https://sso.example.test/realms/corp", "LATCHKEY_IDP_CORP_CLIENT_ID", "latchkey"));
        admin = new Http(ts.base);
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static Http.Response put(String name, String json) {
        return admin.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ts.base + "/admin/v1/identity-providers/" + name))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)));
    }

    @Test
    void createReadReplaceAndDeleteWithAWriteOnlySecret() throws Exception {
        Http.Response created = put("google", """
                {"preset":"google","client_id":"123.apps.googleusercontent.com","client_secret":"GOCSPX-very-secret","label":"Google",
                 "allowed_domains":["example.test"]}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("GOCSPX-very-secret");
        assertThat(created.json().get("client_secret_set").asBoolean()).isTrue();
        assertThat(created.json().get("issuer").asText()).isEqualTo("https://accounts.google.com");
        try (Connection c = ts.db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT client_secret FROM identity_providers WHERE name = 'google'")) {
            rs.next();
            assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).doesNotContain("GOCSPX");
        }
        // replaced without a secret: the stored one stays
        Http.Response replaced = put("google", """
                {"preset":"google","client_id":"123.apps.googleusercontent.com","label":"Google Workspace","enabled":false}""");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("client_secret_set").asBoolean()).isTrue();
        assertThat(ts.backend().signIn().federation().providers().find("google").orElseThrow().clientSecret()).isEqualTo("GOCSPX-very-secret");

        Http.Response list = admin.get("/admin/v1/identity-providers", "Authorization", "Bearer " + KEY);
        assertThat(list.body()).contains("\"name\":\"corp\",\"source\":\"config\"", "\"name\":\"google\",\"source\":\"api\"");
        assertThat(admin.delete("/admin/v1/identity-providers/google", "Authorization", "Bearer " + KEY).status()).isEqualTo(204);
        assertThat(admin.get("/admin/v1/identity-providers/google", "Authorization", "Bearer " + KEY).status()).isEqualTo(404);
    }

    @Test
    void configuredProvidersAreReadOnlyAndBadInputIsA4xx() {
        assertThat(put("corp", "{\"issuer\":\"https://x.example.test\",\"client_id\":\"x\"}").status()).isEqualTo(409);
        assertThat(admin.delete("/admin/v1/identity-providers/corp", "Authorization", "Bearer " + KEY).status()).isEqualTo(409);
        for (String[] c : new String[][] {
                {"ok1", "{\"client_id\":\"x\"}"},                                            // oidc needs an issuer
                {"ok2", "{\"issuer\":\"http://idp.example.test\",\"client_id\":\"x\"}"},     // not https
                {"ok3", "{\"issuer\":\"https://idp.example.test\",\"client_id\":\"x\",\"colour\":\"blue\"}"},
                {"ok4", "{\"issuer\":\"https://idp.example.test\",\"client_id\":\"x\",\"scopes\":\"email\"}"},   // no openid
                {"ok5", "{\"preset\":\"apple\",\"client_id\":\"x\",\"client_secret\":\"not a key\",\"apple_team_id\":\"ABCDEFGHIJ\",\"apple_key_id\":\"ABCDEFGHIJ\"}"},
                {"ok6", "{\"preset\":\"microsoft\",\"client_id\":\"x\"}"},                     // no tenant
                {"ok7", "[1,2]"}, {"ok8", "{\"client_id\":{\"a\":1}}"}, {"ok9", "not json"},
                {"Bad-Name", "{\"issuer\":\"https://idp.example.test\",\"client_id\":\"x\"}"},
                {"ok10", "{\"issuer\":\"https://idp.example.test\",\"client_id\":\"x\",\"may_create_users\":\"maybe\"}"}}) {
            Http.Response r = put(c[0], c[1]);
            assertThat(r.status()).as(c[0] + " " + r.body()).isBetween(400, 499);
        }
        assertThat(admin.delete("/admin/v1/identity-providers/none", "Authorization", "Bearer " + KEY).status()).isEqualTo(404);
        assertThat(admin.get("/admin/v1/identity-providers").status()).isEqualTo(401);
    }
}
