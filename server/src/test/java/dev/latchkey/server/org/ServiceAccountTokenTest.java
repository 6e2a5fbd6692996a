package dev.latchkey.server.org;

import static dev.latchkey.server.org.OrgRolesTokenTest.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.latchkey.sdk.http.Denial;
import dev.latchkey.sdk.http.Guard;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.sdk.rls.IdentityDataSource;
import dev.latchkey.sdk.rls.RlsSchema;
import dev.latchkey.sdk.token.PrincipalKind;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Service accounts end to end over real HTTP, PostgreSQL and the Nimbus OAuth SDK: a client the account owns
 * gets, by {@code client_credentials}, a token that is the account's (sub {@code sa_<uuid>}, its org, roles and
 * permissions); the SDK sees a service account, permission guards pass, user guards refuse; introspection says
 * {@code sub_type: service_account}; disabling refuses its tokens through the feed and refuses new ones; a role
 * change reaches the next token; another organization's path does not reach the account.
 */
class ServiceAccountTokenTest {
    static final Duration WITHIN = Duration.ofSeconds(10);
    static TestServer ts;
    static String feedSecret;
    static RevocationFeed feed;
    static TokenVerifier api;

    @BeforeAll
    static void start() throws Exception {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        feedSecret = admin("POST", "/admin/v1/clients", """
                {"client_id":"reports-api","grant_types":["client_credentials"],"scope":"latchkey:revocations"}""", 201)
                .json().get("client_secret").asText();
        feed = RevocationFeed.builder().issuer(ts.base).credentials(FeedCredentials.clientSecretBasic("reports-api", feedSecret))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build().start();
        assertThat(feed.awaitReady(WITHIN)).isTrue();
        api = TokenVerifier.builder().issuer(ts.base).audience(ts.base).revocationCheck(feed).build();
        admin("PUT", "/admin/v1/roles/sa-viewer", "{\"permissions\":[\"reports:read\"]}", 200);
        admin("PUT", "/admin/v1/roles/sa-editor", "{\"permissions\":[\"reports:read\",\"reports:write\"]}", 200);
    }

    @AfterAll
    static void stop() {
        feed.close();
        ts.close();
    }

    static Http.Response admin(String method, String path, String json, int expected) {
        Http.Response r = send(method, path, json);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r;
    }

    static Http.Response send(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return new Http(ts.base).send(HttpRequest.newBuilder(URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
    }

    static String newOrg(String name) {
        return admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + "\"}", 201).json().get("id").asText();
    }

    record Credentials(String clientId, String secret) {
    }

    static Credentials newClient(String org, String sa) {
        JsonNode c = admin("POST", "/admin/v1/orgs/" + org + "/service-accounts/" + sa + "/clients", "{\"name\":\"ci\"}", 201).json();
        return new Credentials(c.get("client_id").asText(), c.get("client_secret").asText());
    }

    static TokenResponse clientCredentials(Credentials c) throws Exception {
        TokenRequest req = new TokenRequest(URI.create(ts.base + "/oauth2/token"),
                new ClientSecretBasic(new ClientID(c.clientId()), new Secret(c.secret())), new ClientCredentialsGrant(), null);
        return TokenResponse.parse(req.toHTTPRequest().send());
    }

    static String token(Credentials c) throws Exception {
        TokenResponse r = clientCredentials(c);
        assertThat(r.indicatesSuccess()).as(() -> r.toErrorResponse().getErrorObject().toString()).isTrue();
        return r.toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void aClientOwnedByAServiceAccountGetsTheAccountsTokenWhichNoLayerTakesForAUser() throws Exception {
        String acme = newOrg("Acme");
        JsonNode sa = admin("POST", "/admin/v1/orgs/" + acme + "/service-accounts",
                "{\"name\":\"Nightly export\",\"description\":\"CI\",\"roles\":[\"sa-editor\"]}", 201).json();
        String id = sa.get("id").asText();
        assertThat(sa.get("sub").asText()).isEqualTo("sa_" + id);
        Credentials c = newClient(acme, id);

        String token = token(c);
        JWTClaimsSet jwt = claims(token);
        assertThat(jwt.getSubject()).isEqualTo("sa_" + id);
        assertThat(jwt.getStringClaim("sub_type")).isEqualTo("service_account");
        assertThat(jwt.getStringClaim("client_id")).isEqualTo(c.clientId());
        assertThat(jwt.getStringClaim("org")).isEqualTo(acme);
        assertThat(jwt.getStringListClaim("roles")).containsExactly("sa-editor");
        assertThat(jwt.getStringListClaim("permissions")).containsExactly("reports:read", "reports:write");
        assertThat(jwt.getClaim("sid")).isNull();
        assertThat(jwt.getClaim("ver")).isNull();

        VerifiedToken v = api.verify(token);
        assertThat(v.kind()).isEqualTo(PrincipalKind.SERVICE_ACCOUNT);
        assertThat(v.isServiceAccount()).isTrue();
        assertThat(v.isUser()).isFalse();
        assertThat(v.isClient()).isFalse();
        assertThat(v.userId()).isEmpty();
        assertThat(Guard.<Void>requirePermission("reports:write").check(v, null)).isEmpty();
        assertThat(Guard.<Void>requireRole("sa-editor").check(v, null)).isEmpty();
        assertThat(Guard.<Void>requireServiceAccount().check(v, null)).isEmpty();
        assertThat(Guard.<Void>requireUser().check(v, null)).hasValueSatisfying(d -> assertThat(d).isInstanceOf(Denial.Forbidden.class));
        assertThat(Guard.<Void>requireClient().check(v, null)).hasValueSatisfying(d -> assertThat(d).isInstanceOf(Denial.Forbidden.class));
        assertThat(Guard.<Void>requireOwnership(r -> id).check(v, null)).isPresent();

        JsonNode i = new Http(ts.base).postForm("/oauth2/introspect", Map.of("token", token), "Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("reports-api:" + feedSecret).getBytes(StandardCharsets.UTF_8))).json();
        assertThat(i.get("active").asBoolean()).isTrue();
        assertThat(i.get("sub").asText()).isEqualTo("sa_" + id);
        assertThat(i.get("sub_type").asText()).isEqualTo("service_account");
        assertThat(i.get("org").asText()).isEqualTo(acme);

        // the RLS bridge: the account is no user, but its org and permissions count
        javax.sql.DataSource raw = ts.backend().database().jdbc().dataSource();
        try (var c0 = raw.getConnection()) {
            RlsSchema.install(c0);
        }
        IdentityDataSource ds = new IdentityDataSource(raw);
        ds.inTransaction(DatabaseIdentity.of(v), conn -> {
            try (var rs = conn.createStatement().executeQuery("SELECT latchkey.uid(), latchkey.subject(), latchkey.principal_type(),"
                    + " latchkey.is_client(), latchkey.is_service_account(), latchkey.org_id(), latchkey.has_permission('reports:write'),"
                    + " latchkey.has_role('sa-editor')")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1)).isNull();
                assertThat(rs.getString(2)).isEqualTo("sa_" + id);
                assertThat(rs.getString(3)).isEqualTo("service_account");
                assertThat(rs.getBoolean(4)).isFalse();
                assertThat(rs.getBoolean(5)).isTrue();
                assertThat(rs.getString(6)).isEqualTo(acme);
                assertThat(rs.getBoolean(7)).isTrue();
                assertThat(rs.getBoolean(8)).isTrue();
            }
            return null;
        });
    }

    @Test
    void disablingRefusesItsTokensThroughTheFeedAndNewOnesAtTheTokenEndpoint() throws Exception {
        String acme = newOrg("Acme");
        String id = admin("POST", "/admin/v1/orgs/" + acme + "/service-accounts", "{\"name\":\"deployer\",\"roles\":[\"sa-viewer\"]}", 201)
                .json().get("id").asText();
        Credentials c = newClient(acme, id);
        String token = token(c);
        assertThat(api.verify(token).isServiceAccount()).isTrue();

        JsonNode patched = admin("PATCH", "/admin/v1/orgs/" + acme + "/service-accounts/" + id, "{\"disabled\":true}", 200).json();
        assertThat(patched.get("disabled").asBoolean()).isTrue();
        awaitRefused(token);
        TokenResponse refused = clientCredentials(c);
        assertThat(refused.indicatesSuccess()).isFalse();
        assertThat(((TokenErrorResponse) refused).getErrorObject().getCode()).isEqualTo("unauthorized_client");

        admin("PATCH", "/admin/v1/orgs/" + acme + "/service-accounts/" + id, "{\"disabled\":false}", 200);
        // a new token after the re-enable is accepted (the feed refuses only tokens issued up to the disable)
        Thread.sleep(1100);
        assertThat(api.verify(token(c)).isServiceAccount()).isTrue();

        admin("DELETE", "/admin/v1/orgs/" + acme + "/service-accounts/" + id, null, 204);
        assertThat(clientCredentials(c).indicatesSuccess()).as("its clients go with it").isFalse();
    }

    @Test
    void aRoleChangeReachesTheNextToken() throws Exception {
        String acme = newOrg("Acme");
        String id = admin("POST", "/admin/v1/orgs/" + acme + "/service-accounts", "{\"name\":\"reader\",\"roles\":[\"sa-viewer\"]}", 201)
                .json().get("id").asText();
        Credentials c = newClient(acme, id);
        assertThat(claims(token(c)).getStringListClaim("permissions")).containsExactly("reports:read");
        JsonNode p = admin("PATCH", "/admin/v1/orgs/" + acme + "/service-accounts/" + id, "{\"roles\":[\"sa-editor\"]}", 200).json();
        assertThat(p.get("roles").toString()).isEqualTo("[\"sa-editor\"]");
        JWTClaimsSet next = claims(token(c));
        assertThat(next.getStringListClaim("roles")).containsExactly("sa-editor");
        assertThat(next.getStringListClaim("permissions")).containsExactly("reports:read", "reports:write");
    }

    @Test
    void anotherOrganizationsPathDoesNotReachTheAccount() {
        String acme = newOrg("Acme");
        String globex = newOrg("Globex");
        String id = admin("POST", "/admin/v1/orgs/" + acme + "/service-accounts", "{\"name\":\"private\"}", 201).json().get("id").asText();
        String other = "/admin/v1/orgs/" + globex + "/service-accounts/" + id;
        assertThat(send("GET", other, null).status()).isEqualTo(404);
        assertThat(send("PATCH", other, "{\"disabled\":true}").status()).isEqualTo(404);
        assertThat(send("DELETE", other, null).status()).isEqualTo(404);
        assertThat(send("POST", other + "/clients", "{}").status()).isEqualTo(404);
        assertThat(admin("GET", "/admin/v1/orgs/" + globex + "/service-accounts", null, 200).json().get("service_accounts")).isEmpty();
        JsonNode mine = admin("GET", "/admin/v1/orgs/" + acme + "/service-accounts/" + id, null, 200).json();
        assertThat(mine.get("disabled").asBoolean()).isFalse();
        assertThat(admin("GET", "/admin/v1/orgs/" + acme + "/service-accounts", null, 200).json().get("service_accounts")).hasSize(1);
        Http.Response bad = send("POST", "/admin/v1/orgs/" + acme + "/service-accounts", "{\"name\":\"x\",\"roles\":[\"Not A Role\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("validation_failed");
    }

    static void awaitRefused(String token) throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (true) {
            try {
                api.verify(token);
            } catch (TokenRejectedException e) {
                assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                return;
            }
            assertThat(System.nanoTime()).as("refused within " + WITHIN).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
