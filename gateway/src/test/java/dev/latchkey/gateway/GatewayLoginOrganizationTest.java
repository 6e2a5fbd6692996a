package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /auth/login?organization=<id|slug>} on the gateway against a real server and PostgreSQL: a user of two
 * organizations signs in straight into the one named (no chooser page) and the session's tokens are for it; an
 * organization the user is not in ends the sign-in with the server's {@code access_denied}; a malformed value is
 * refused by the gateway before anything is forwarded.
 */
class GatewayLoginOrganizationTest {
    static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static String org(String name, String slug, String email) {
        Http.Response o = admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + "\",\"slug\":\"" + slug + "\"}");
        String id = o.json().get("id").asText();
        if (email != null) {
            admin("PUT", "/admin/v1/orgs/" + id + "/members/" + email, "{\"roles\":[]}");
        }
        return id;
    }

    static Http.Response admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(f.idp.base).send(HttpRequest.newBuilder(URI.create(f.idp.base + path)).method(method, body)
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    /** Starts at {@code /auth/login?returnTo=/&<query>} and signs in at the server; what the server ends with. */
    static String signIn(GatewayFixture.Browser b, String email, String query) {
        Http.Response login = b.gw.get("/auth/login?returnTo=%2Fdashboard&" + query);
        assertThat(login.status()).as(login.body()).isEqualTo(303);
        return f.idp.browse(b.server, login.header("Location"), email, f.publicUrl + "/auth/callback");
    }

    @Test
    void aUserOfTwoOrganizationsSignsInStraightIntoTheOneNamed() throws Exception {
        String email = f.newUser();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String acme = org("Acme", "acme-" + suffix, email);
        String globex = org("Globex", "globex-" + suffix, email);

        // without organization the server asks which one
        GatewayFixture.Browser asked = f.new Browser();
        assertThat(signIn(asked, email, "x=1")).startsWith("page:200:").contains("globex-" + suffix);

        // by slug: no chooser, and the session's tokens are for that organization
        GatewayFixture.Browser bySlug = f.new Browser();
        Http.Response login = bySlug.gw.get("/auth/login?returnTo=%2Fdashboard&organization=globex-" + suffix);
        assertThat(OidcFixture.query(login.header("Location"))).containsEntry("organization", "globex-" + suffix);
        String callback = f.idp.browse(bySlug.server, login.header("Location"), email, f.publicUrl + "/auth/callback");
        assertThat(callback).as("no chooser page").startsWith(f.publicUrl + "/auth/callback?");
        Http.Response done = bySlug.gw.get(callback.replace(f.publicUrl, bySlug.gw.base));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.header("Location")).isEqualTo("/dashboard");
        assertThat(bySlug.gw.get("/auth/me").json().get("org").asText()).isEqualTo(globex);
        Http.Response relayed = bySlug.gw.get("/api/notes/x");
        assertThat(relayed.status()).as(relayed.body()).isEqualTo(200);
        String bearer = relayed.json().get("headers").get("authorization").asText().substring("Bearer ".length());
        assertThat(com.nimbusds.jwt.SignedJWT.parse(bearer).getJWTClaimsSet().getStringClaim("org"))
                .as("the relayed access token's org").isEqualTo(globex);

        // by id, the other one
        GatewayFixture.Browser byId = f.new Browser();
        String byIdCallback = signIn(byId, email, "organization=" + acme);
        assertThat(byIdCallback).startsWith(f.publicUrl + "/auth/callback?");
        assertThat(byId.gw.get(byIdCallback.replace(f.publicUrl, byId.gw.base)).status()).isEqualTo(303);
        assertThat(byId.gw.get("/auth/me").json().get("org").asText()).isEqualTo(acme);
    }

    @Test
    void anOrganizationTheUserIsNotInEndsTheSignInWithoutASession() {
        String email = f.newUser();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        org("Mine", "mine-" + suffix, email);
        org("Theirs", "theirs-" + suffix, null);
        for (String named : new String[] {"theirs-" + suffix, "nosuch-" + suffix, UUID.randomUUID().toString()}) {
            GatewayFixture.Browser b = f.new Browser();
            String callback = signIn(b, email, "organization=" + named);
            assertThat(callback).as(named).startsWith(f.publicUrl + "/auth/callback?");
            assertThat(OidcFixture.query(callback)).as(named).containsEntry("error", "access_denied");
            Http.Response refused = b.gw.get(callback.replace(f.publicUrl, b.gw.base));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains("Your sign-in did not complete or has expired.");
            assertThat(b.session()).as("no session").isNull();
            assertThat(b.gw.get("/auth/me").status()).isEqualTo(401);
        }
    }

    @Test
    void aMalformedOrganizationIsRefusedBeforeAnythingIsForwarded() {
        for (String bad : new String[] {"Acme", "acme corp", "-acme", "acme/../x", "<script>", "a".repeat(64),
                "acme&scope=admin", "12345678-1234-1234-1234-1234567890123"}) {
            Http b = new Http(f.publicUrl);
            Http.Response r = b.get("/auth/login?returnTo=%2F&organization=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
            assertThat(r.json().get("code").asText()).isEqualTo("invalid_organization");
            assertThat(r.json().get("title").asText()).contains("id (a UUID) or its slug");
            assertThat(r.header("Location")).isNull();
            assertThat(b.cookies).as("no login flow started").isEmpty();
        }
        Http.Response twice = new Http(f.publicUrl).get("/auth/login?returnTo=%2F&organization=acme&organization=globex");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("code").asText()).isEqualTo("invalid_organization");
        Http.Response empty = new Http(f.publicUrl).get("/auth/login?returnTo=%2F&organization=");
        assertThat(empty.status()).as("empty: none").isEqualTo(303);
        assertThat(OidcFixture.query(empty.header("Location"))).doesNotContainKey("organization");
    }
}
