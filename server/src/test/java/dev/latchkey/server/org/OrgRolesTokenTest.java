package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.sdk.http.Denial;
import dev.latchkey.sdk.http.Guard;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organizations, roles and permissions end to end, over real HTTP against a real server and PostgreSQL:
 * roles defined through the admin API reach the member's next token (the chosen org, its roles and their
 * permissions), introspection shows them, the SDK's {@code requirePermission} decides on them, and a role
 * change keeps the member signed in while the revocation feed makes the SDK drop the token with the lost
 * permission (the measured delay is printed; docs/authorization.md records it).
 */
class OrgRolesTokenTest {
    static final String ADMIN_KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    static final String PASSWORD = "a perfectly fine passphrase";
    static final Duration WITHIN = Duration.ofSeconds(10);

    static TestServer ts;
    static String secret;
    static RevocationFeed feed;
    static TokenVerifier notesApi;
    static final Map<Http, String> EMAILS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        secret = admin("POST", "/admin/v1/clients", """
                {"client_id":"notes-api","grant_types":["client_credentials"],"scope":"latchkey:revocations"}""")
                .json().get("client_secret").asText();
        feed = RevocationFeed.builder().issuer(ts.base).credentials(FeedCredentials.clientSecretBasic("notes-api", secret))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build().start();
        assertThat(feed.awaitReady(WITHIN)).isTrue();
        notesApi = TokenVerifier.builder().issuer(ts.base).audience(ts.base).revocationCheck(feed).build();
        admin("PUT", "/admin/v1/roles/viewer", "{\"permissions\":[\"notes:read\"]}");
        admin("PUT", "/admin/v1/roles/editor", "{\"description\":\"Writes notes\",\"permissions\":[\"notes:read\",\"notes:write\"]}");
    }

    @AfterAll
    static void stop() {
        feed.close();
        ts.close();
    }

    static Http.Response admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    static String newOrg(String name) {
        return admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + "\"}").json().get("id").asText();
    }

    static Http signUp() {
        String email = "org-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        EMAILS.put(h, email);
        return h;
    }

    static String email(Http h) {
        return EMAILS.get(h);
    }

    static UUID userId(Http h) {
        return ts.backend().users().findByEmail(EmailAddress.parse(email(h))).orElseThrow().id();
    }

    /** A fresh access token for the device's session, through its refresh cookie. */
    static String refresh(Http h) {
        Http.Response r = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void theNextTokenCarriesTheOrgItsRolesAndTheirPermissionsCompactlyAndEveryLayerReadsThem() throws Exception {
        Http device = signUp();
        String acme = newOrg("Acme");
        admin("PUT", "/admin/v1/orgs/" + acme + "/roles/auditor", "{\"permissions\":[\"audit.log:read\",\"billing.invoices:read\"]}");
        admin("PUT", "/admin/v1/orgs/" + acme + "/members/" + email(device), "{\"roles\":[\"editor\",\"auditor\"]}");

        String token = refresh(device);
        JWTClaimsSet c = claims(token);
        assertThat(c.getStringClaim("org")).isEqualTo(acme);
        assertThat(c.getStringListClaim("roles")).containsExactly("auditor", "editor");
        assertThat(c.getStringListClaim("permissions"))
                .containsExactly("audit.log:read", "billing.invoices:read", "notes:read", "notes:write");
        System.out.printf("a typical member's access token: %d bytes%n", token.length());
        // a typical member's token stays well under the documented 1 KB
        assertThat(token.length()).as(token).isLessThan(1024);

        VerifiedToken v = notesApi.verify(token);
        assertThat(v.organization()).contains(acme);
        assertThat(Guard.<Void>requirePermission("notes:write").check(v, null)).isEmpty();
        assertThat(Guard.<Void>requirePermission("notes:delete").check(v, null))
                .hasValueSatisfying(d -> assertThat(d).isInstanceOf(Denial.Forbidden.class));

        String basic = Base64.getEncoder().encodeToString(("notes-api:" + secret).getBytes(StandardCharsets.UTF_8));
        JsonNode i = new Http(ts.base).postForm("/oauth2/introspect", Map.of("token", token), "Authorization", "Basic " + basic).json();
        assertThat(i.get("active").asBoolean()).isTrue();
        assertThat(i.get("org").asText()).isEqualTo(acme);
        assertThat(i.get("roles").toString()).isEqualTo("[\"auditor\",\"editor\"]");
        assertThat(i.get("permissions").toString()).isEqualTo("[\"audit.log:read\",\"billing.invoices:read\",\"notes:read\",\"notes:write\"]");
    }

    @Test
    void aRoleChangeKeepsTheMemberSignedInAndTheFeedMakesTheSdkDropTheTokenWithTheLostPermission() throws Exception {
        Http device = signUp();
        String acme = newOrg("Acme");
        admin("PUT", "/admin/v1/orgs/" + acme + "/members/" + email(device), "{\"roles\":[\"editor\"]}");
        String editorToken = refresh(device);
        String sid = claims(editorToken).getStringClaim("sid");
        assertThat(notesApi.verify(editorToken).hasPermission("notes:write")).isTrue();

        long changed = System.nanoTime();
        admin("PUT", "/admin/v1/orgs/" + acme + "/members/" + email(device), "{\"roles\":[\"viewer\"]}");
        long refusedAfter = awaitRefused(editorToken) - changed;
        System.out.printf("roles_changed propagation to the SDK verifier: %.1f ms%n", refusedAfter / 1e6);

        // not signed out: the same session refreshes, and its token carries the new roles, which the SDK accepts
        String viewerToken = refresh(device);
        JWTClaimsSet c = claims(viewerToken);
        assertThat(c.getStringClaim("sid")).isEqualTo(sid);
        assertThat(c.getStringListClaim("roles")).containsExactly("viewer");
        assertThat(c.getStringListClaim("permissions")).containsExactly("notes:read");
        VerifiedToken v = notesApi.verify(viewerToken);
        assertThat(v.hasPermission("notes:write")).isFalse();
        assertThat(v.hasPermission("notes:read")).isTrue();
    }

    @Test
    void removalFromTheOrgEndsItsAccessAtOnce() throws Exception {
        Http device = signUp();
        String acme = newOrg("Acme");
        admin("PUT", "/admin/v1/orgs/" + acme + "/members/" + email(device), "{\"roles\":[\"editor\"]}");
        String token = refresh(device);
        assertThat(notesApi.verify(token).organization()).contains(acme);

        admin("DELETE", "/admin/v1/orgs/" + acme + "/members/" + userId(device), null);

        awaitRefused(token);
        Http.Response r = device.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void badRoleDefinitionsAreRefusedByName() {
        Http.Response bad = new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + "/admin/v1/roles/writer"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"permissions\":[\"notes\"]}"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("validation_failed").contains("Permission \\\"notes\\\" is not of the form resource:action");

        Http.Response unknownOrg = new Http(ts.base).send(HttpRequest.newBuilder(
                        URI.create(ts.base + "/admin/v1/orgs/" + UUID.randomUUID() + "/roles/writer"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"permissions\":[\"notes:write\"]}"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(unknownOrg.status()).isEqualTo(404);

        Http.Response noKey = new Http(ts.base).get("/admin/v1/roles");
        assertThat(noKey.status()).isEqualTo(401);
    }

    /** Polls the SDK verifier until it refuses the token as revoked; returns System.nanoTime() then. */
    static long awaitRefused(String token) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (true) {
            try {
                notesApi.verify(token);
            } catch (TokenRejectedException e) {
                assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                return System.nanoTime();
            }
            assertThat(System.nanoTime()).as("refused within " + WITHIN).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
