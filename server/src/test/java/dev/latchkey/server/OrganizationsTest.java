package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Organizations and roles through the admin API, and how they reach access tokens. */
class OrganizationsTest {
    static final String ADMIN = "lka_orgs-test-admin-key-0123456789abcdefghij";
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN));
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void rolesInAnOrganizationTravelInTokensAndAChangeReachesTheNextTokenWithoutSigningOut() throws Exception {
        Http admin = new Http(ts.base);
        String email = "org-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String creds = "{\"email\":\"" + email + "\",\"password\":\"organisation passphrase\"}";
        Http user = new Http(ts.base);
        String before = user.postJson("/api/auth/signup", creds).json().get("access_token").asText();
        assertThat(SignedJWT.parse(before).getJWTClaimsSet().getClaim("org")).isNull();

        Http.Response org = admin.postJson("/admin/v1/orgs", "{\"name\":\"Acme\"}", "Authorization", "Bearer " + ADMIN);
        assertThat(org.status()).isEqualTo(201);
        String orgId = org.json().get("id").asText();
        Http.Response set = new Http(ts.base).send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ts.base + "/admin/v1/orgs/" + orgId + "/members/" + email))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"roles\":[\"admin\",\"notes:editor\"]}")));
        assertThat(set.status()).as(set.body()).isEqualTo(200);

        // the membership change signs nobody out: the session goes on, and its next token carries the org and roles
        assertThat(user.get("/api/auth/me", "Authorization", "Bearer " + before).status()).isEqualTo(200);
        Http.Response refreshed = user.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
        var claims = SignedJWT.parse(refreshed.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("org")).isEqualTo(orgId);
        assertThat(claims.getStringListClaim("roles")).containsExactly("admin", "notes:editor");
        assertThat(claims.getLongClaim("ver")).isEqualTo(1L);
        String after = new Http(ts.base).postJson("/api/auth/login", creds).json().get("access_token").asText();
        assertThat(SignedJWT.parse(after).getJWTClaimsSet().getStringClaim("org")).as("a new sign-in too").isEqualTo(orgId);

        Http.Response bad = new Http(ts.base).send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(ts.base + "/admin/v1/orgs/" + orgId + "/members/" + email))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"roles\":[\"has space\"]}")));
        assertThat(bad.status()).isEqualTo(400);
        Http.Response listed = admin.get("/admin/v1/orgs/" + orgId, "Authorization", "Bearer " + ADMIN);
        assertThat(listed.json().get("members")).hasSize(1);
        assertThat(admin.get("/admin/v1/orgs", "Authorization", "Bearer wrong").status()).isEqualTo(401);
    }
}
