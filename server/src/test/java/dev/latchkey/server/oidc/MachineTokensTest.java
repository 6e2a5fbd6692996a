package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientAuthMethod;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.server.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 §2 at the server: a client can never be registered under a user's id, and a client's own
 * (client-credentials) token says from its claims alone that it is no user's, in the token, in
 * introspection, at userinfo and at the first-party API.
 */
class MachineTokensTest {
    static OidcFixture fx;
    static String reportingSecret;
    static String introspectorSecret;

    @BeforeAll
    static void setUp() {
        fx = new OidcFixture(Map.of());
        reportingSecret = fx.register("""
                {"client_id":"reporting","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"openid reports:read","audiences":["https://api.example.test"]}""").get("client_secret").asText();
        introspectorSecret = fx.register("""
                {"client_id":"api","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"x"}""").get("client_secret").asText();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static Http.Response admin(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.base + path)).header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY)
                .header("Content-Type", "application/json");
        b = switch (method) {
            case "PUT" -> b.PUT(HttpRequest.BodyPublishers.ofString(json));
            case "POST" -> b.POST(HttpRequest.BodyPublishers.ofString(json));
            case "DELETE" -> b.DELETE();
            default -> b.GET();
        };
        return new Http(fx.base).send(b);
    }

    static Http.Response clientCredentials(String id, String secret) {
        return new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
    }

    static JsonNode introspect(String token) {
        Http.Response r = new Http(fx.base).post("/oauth2/introspect", "application/x-www-form-urlencoded",
                "client_id=api&client_secret=" + introspectorSecret + "&token=" + token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static String userToken() {
        String email = fx.newUser();
        Http.Response r = new Http(fx.base).postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + OidcFixture.PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    static String subjectOf(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getSubject();
    }

    @Test
    void theAdminApiRefusesAClientIdOfAUserIdsForm() throws Exception {
        String userId = subjectOf(userToken());
        for (String id : List.of(userId, userId.toUpperCase(), userId.replace("-", ""), UUID.randomUUID().toString(), "1-2-3-4-5")) {
            Http.Response r = admin("POST", "/admin/v1/clients", """
                    {"client_id":"%s","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"]}""".formatted(id));
            assertThat(r.status()).as(id + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
            assertThat(r.body()).contains("client_id must not look like a UUID");
            assertThat(admin("GET", "/admin/v1/clients/" + id, null).status()).isEqualTo(404);
        }
    }

    @Test
    void aClientCredentialsTokenIsAClientsByItsClaimsAlone() throws Exception {
        Http.Response r = clientCredentials("reporting", reportingSecret);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String token = r.json().get("access_token").asText();
        JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(c.getSubject()).isEqualTo("reporting");                    // RFC 9068 §2.2
        assertThat(c.getStringClaim("client_id")).isEqualTo("reporting");
        assertThat(c.getStringClaim("sub_type")).isEqualTo("client");
        assertThat(c.getClaims()).doesNotContainKeys("sid", "ver", "org", "roles");

        JsonNode info = introspect(token);
        assertThat(info.get("active").asBoolean()).isTrue();
        assertThat(info.get("sub").asText()).isEqualTo("reporting");
        assertThat(info.get("sub_type").asText()).isEqualTo("client");
        assertThat(info.has("sid")).isFalse();
        assertThat(info.has("username")).isFalse();

        // no user behind it: userinfo and the first-party API refuse it
        assertThat(new Http(fx.base).get("/oauth2/userinfo", "Authorization", "Bearer " + token).status()).isEqualTo(401);
        assertThat(new Http(fx.base).get("/api/auth/me", "Authorization", "Bearer " + token).status()).isEqualTo(401);
    }

    @Test
    void aUsersTokenIntrospectsAsAUsers() throws Exception {
        String token = userToken();
        JWTClaimsSet c = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(c.getClaim("sub_type")).isNull();
        assertThat(c.getStringClaim("sid")).isNotBlank();
        JsonNode info = introspect(token);
        assertThat(info.get("active").asBoolean()).isTrue();
        assertThat(info.get("sub_type").asText()).isEqualTo("user");
        assertThat(info.get("sub").asText()).isEqualTo(c.getSubject());
    }

    /**
     * A client registered under a user's id before the rule (simulated: the constraint is lifted for the insert):
     * it is kept, but it gets no token, cannot be updated or given a new secret, and can be deleted.
     */
    @Test
    void aClientRegisteredUnderAUsersIdBeforeTheRuleGetsNoTokenAndCanOnlyBeDeleted() throws Exception {
        String victim = subjectOf(userToken());
        String secret = "legacy-secret-0123456789";
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        var jdbc = fx.ts.backend().database().jdbc();
        jdbc.update("ALTER TABLE oauth_clients DROP CONSTRAINT oauth_clients_id_not_uuid");
        try {
            assertThat(fx.ts.backend().clientStore().create(new Client(victim, "legacy", ClientAuthMethod.CLIENT_SECRET_POST,
                    Digests.sha256(secret), List.of(), List.of(), Set.of(GrantType.CLIENT_CREDENTIALS), Set.of("reports:read"), List.of(),
                    false, false, null, false, t, t))).isTrue();
        } finally {
            jdbc.update("""
                    ALTER TABLE oauth_clients ADD CONSTRAINT oauth_clients_id_not_uuid CHECK (NOT (
                        client_id ~ '^[0-9A-Fa-f]+(-[0-9A-Fa-f]+){4}$' OR replace(client_id, '-', '') ~ '^[0-9A-Fa-f]{32}$')) NOT VALID""");
        }
        Http.Response token = clientCredentials(victim, secret);
        assertThat(token.status()).as(token.body()).isEqualTo(400);
        assertThat(token.json().get("error").asText()).isEqualTo("unauthorized_client");
        assertThat(token.json().has("access_token")).isFalse();

        Http.Response update = admin("PUT", "/admin/v1/clients/" + victim, """
                {"token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],"scope":"reports:read"}""");
        assertThat(update.status()).isEqualTo(400);
        assertThat(update.body()).contains("register this client again");
        assertThat(admin("POST", "/admin/v1/clients/" + victim + "/secret", "{}").status()).isEqualTo(400);
        assertThat(admin("DELETE", "/admin/v1/clients/" + victim, null).status()).isEqualTo(204);
    }

    @Test
    void theAdminApiShowsAndChangesTheNewFieldsAndKeepsThemWhenAReplacementLeavesThemOut() {
        Http.Response created = admin("POST", "/admin/v1/clients", """
                {"client_id":"desktop","token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb"],
                 "application_type":"native","id_token_signed_response_alg":"ES256"}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("application_type").asText()).isEqualTo("native");
        assertThat(created.json().get("id_token_signed_response_alg").asText()).isEqualTo("ES256");
        Http.Response replaced = admin("PUT", "/admin/v1/clients/desktop", """
                {"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb"],"client_name":"Desktop"}""");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().get("application_type").asText()).isEqualTo("native");
        assertThat(replaced.json().get("id_token_signed_response_alg").asText()).isEqualTo("ES256");
        Http.Response bad = admin("PUT", "/admin/v1/clients/desktop", """
                {"token_endpoint_auth_method":"none","redirect_uris":["http://127.0.0.1/cb"],"application_type":"desktop",
                 "id_token_signed_response_alg":"none"}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("application_type must be").contains("id_token_signed_response_alg must be");
        Http.Response plain = admin("POST", "/admin/v1/clients", """
                {"client_id":"plain","redirect_uris":["https://plain.example.test/cb"]}""");
        assertThat(plain.json().get("id_token_signed_response_alg").asText()).isEqualTo("RS256");
        assertThat(plain.json().get("application_type").asText()).isEqualTo("web");
    }
}
