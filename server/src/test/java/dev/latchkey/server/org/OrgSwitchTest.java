package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Choosing and switching organizations without signing in again, over real HTTP against a real server and
 * PostgreSQL: the first-party API ({@code GET /api/auth/orgs}, {@code POST /api/auth/org}) and the OAuth
 * refresh grant's {@code organization} parameter (driven by the Nimbus OAuth SDK). The chosen org lives with
 * the refresh family, so later refreshes keep it; a non-member's switch is refused and the grant lives on.
 */
class OrgSwitchTest {
    static final URI REDIRECT = URI.create("https://rp.example.test/callback");
    static OidcFixture fx;
    static OIDCProviderMetadata meta;
    static ClientID rp;
    static Secret secret;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new OidcFixture(Map.of());
        meta = OIDCProviderMetadata.resolve(new Issuer(fx.base));
        JsonNode c = fx.register("""
                {"client_id":"orgs-rp","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile","first_party":true}""");
        rp = new ClientID("orgs-rp");
        secret = new Secret(c.get("client_secret").asText());
        admin("PUT", "/admin/v1/roles/viewer", "{\"permissions\":[\"notes:read\"]}");
        admin("PUT", "/admin/v1/roles/editor", "{\"permissions\":[\"notes:read\",\"notes:write\"]}");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static Http.Response admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + path)).method(method, body)
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    static String member(String email, String orgName, String... roles) {
        String id = admin("POST", "/admin/v1/orgs", "{\"name\":\"" + orgName + "\"}").json().get("id").asText();
        admin("PUT", "/admin/v1/orgs/" + id + "/members/" + email, "{\"roles\":" + Http.JSON.valueToTree(List.of(roles)) + "}");
        return id;
    }

    static Http signIn(String email) {
        Http h = new Http(fx.base);
        Http.Response r = h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + OidcFixture.PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return h;
    }

    static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    static Http.Response switchTo(Http h, String org) {
        return h.postJson("/api/auth/org", "{\"org_id\":\"" + org + "\"}", "X-CSRF", "1");
    }

    static String refresh(Http h) {
        Http.Response r = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    @Test
    void theFirstPartyApiListsTheUsersOrgsAndSwitchesTheSessionWhichLaterRefreshesKeep() throws Exception {
        String email = fx.newUser();
        String acme = member(email, "Acme", "viewer");
        String globex = member(email, "Globex", "editor");
        String initech = admin("POST", "/admin/v1/orgs", "{\"name\":\"Initech\"}").json().get("id").asText();
        Http device = signIn(email);
        String first = refresh(device);
        assertThat(claims(first).getStringClaim("org")).as("without a choice: the oldest membership").isEqualTo(acme);

        JsonNode orgs = device.get("/api/auth/orgs", "Authorization", "Bearer " + first).json().get("orgs");
        assertThat(orgs).hasSize(2);
        assertThat(orgs.get(0).get("name").asText()).isEqualTo("Acme");
        assertThat(orgs.get(0).get("current").asBoolean()).isTrue();
        assertThat(orgs.get(1).get("id").asText()).isEqualTo(globex);
        assertThat(orgs.get(1).get("current").asBoolean()).isFalse();

        Http.Response switched = switchTo(device, globex);
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        JWTClaimsSet c = claims(switched.json().get("access_token").asText());
        assertThat(c.getStringClaim("org")).isEqualTo(globex);
        assertThat(c.getStringListClaim("roles")).containsExactly("editor");
        assertThat(c.getStringListClaim("permissions")).containsExactly("notes:read", "notes:write");
        assertThat(c.getStringClaim("sid")).as("the same session").isEqualTo(claims(first).getStringClaim("sid"));
        assertThat(claims(refresh(device)).getStringClaim("org")).as("the family keeps the choice").isEqualTo(globex);

        Http.Response refused = switchTo(device, initech);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("code").asText()).isEqualTo("not_a_member");
        assertThat(switchTo(device, "not-an-id").status()).isEqualTo(403);
        assertThat(switchTo(device, UUID.randomUUID().toString()).status()).isEqualTo(403);
        assertThat(claims(refresh(device)).getStringClaim("org")).as("a refused switch leaves the grant as it was").isEqualTo(globex);
        assertThat(new Http(fx.base).postJson("/api/auth/org", "{\"org_id\":\"" + acme + "\"}", "X-CSRF", "1").status())
                .as("no refresh cookie").isEqualTo(401);
    }

    @Test
    void membersAreListedInPagesAndAMemberCanLeave() throws Exception {
        String first = fx.newUser();
        String org = member(first, "Paged", "viewer");
        for (int i = 0; i < 2; i++) {
            admin("PUT", "/admin/v1/orgs/" + org + "/members/" + fx.newUser(), "{\"roles\":[\"editor\"]}");
        }
        JsonNode page1 = admin("GET", "/admin/v1/orgs/" + org + "/members?limit=2", null).json();
        assertThat(page1.get("members")).hasSize(2);
        String next = page1.get("next").asText();
        JsonNode page2 = admin("GET", "/admin/v1/orgs/" + org + "/members?limit=2&after=" + next, null).json();
        assertThat(page2.get("members")).hasSize(1);
        assertThat(page2.get("next").isNull()).isTrue();
        List<String> all = new ArrayList<>();
        page1.get("members").forEach(m -> all.add(m.get("user_id").asText()));
        page2.get("members").forEach(m -> all.add(m.get("user_id").asText()));
        assertThat(all).doesNotHaveDuplicates().isSorted();
        Http adminHttp = new Http(fx.base);
        assertThat(adminHttp.get("/admin/v1/orgs/" + org + "/members?limit=0", "Authorization", "Bearer " + OidcFixture.ADMIN_KEY).status())
                .isEqualTo(400);
        assertThat(adminHttp.get("/admin/v1/orgs/" + UUID.randomUUID() + "/members", "Authorization", "Bearer " + OidcFixture.ADMIN_KEY)
                .status()).isEqualTo(404);

        Http device = signIn(first);
        String token = refresh(device);
        Http.Response left = device.delete("/api/auth/orgs/" + org, "Authorization", "Bearer " + token, "X-CSRF", "1");
        assertThat(left.status()).as(left.body()).isEqualTo(204);
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/members", null).json().get("members")).hasSize(2);
        assertThat(device.post("/api/auth/refresh", null, null, "X-CSRF", "1").status()).as("leaving ends the sessions").isEqualTo(401);
        String again = signIn(first).post("/api/auth/refresh", null, null, "X-CSRF", "1").json().get("access_token").asText();
        assertThat(claims(again).getClaim("org")).isNull();
        assertThat(new Http(fx.base).delete("/api/auth/orgs/" + org, "Authorization", "Bearer " + again, "X-CSRF", "1").status())
                .as("no longer a member").isEqualTo(403);
    }

    @Test
    void aUserInTwoHundredOrgsSwitchesToAnyOfThemInOneRequest() throws Exception {
        String email = fx.newUser();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(member(email, "Org " + i, i % 2 == 0 ? "viewer" : "editor"));
        }
        Http device = signIn(email);
        Http.Response r = switchTo(device, ids.get(199));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String token = r.json().get("access_token").asText();
        assertThat(claims(token).getStringClaim("org")).isEqualTo(ids.get(199));
        assertThat(claims(token).getStringListClaim("roles")).containsExactly("editor");
        assertThat(token.length()).as("the token names one org, however many the user has").isLessThan(1024);
    }

    @Test
    void theRefreshGrantsOrganizationParameterSwitchesAnOAuthGrant() throws Exception {
        String email = fx.newUser();
        String acme = member(email, "Acme", "viewer");
        String globex = member(email, "Globex", "editor");
        String initech = admin("POST", "/admin/v1/orgs", "{\"name\":\"Initech\"}").json().get("id").asText();
        CodeVerifier verifier = new CodeVerifier();
        URI authz = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"), rp, REDIRECT)
                .state(new State()).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                // a user in several organizations names one (else the hosted sign-in shows the chooser)
                .customParameter("organization", acme)
                .endpointURI(meta.getAuthorizationEndpointURI()).build().toURI();
        String back = fx.browse(new Http(fx.base), authz.toString(), email, REDIRECT.toString());
        Tokens tokens = token(new AuthorizationCodeGrant(new AuthorizationCode(OidcFixture.query(back).get("code")), REDIRECT, verifier), null)
                .toSuccessResponse().getTokens();
        assertThat(claims(tokens.getAccessToken().getValue()).getStringClaim("org")).isEqualTo(acme);

        TokenResponse switched = token(new RefreshTokenGrant(tokens.getRefreshToken()), globex);
        assertThat(switched.indicatesSuccess()).as(String.valueOf(switched)).isTrue();
        Tokens t2 = switched.toSuccessResponse().getTokens();
        assertThat(claims(t2.getAccessToken().getValue()).getStringClaim("org")).isEqualTo(globex);
        assertThat(claims(t2.getAccessToken().getValue()).getStringListClaim("permissions")).containsExactly("notes:read", "notes:write");

        TokenResponse refused = token(new RefreshTokenGrant(t2.getRefreshToken()), initech);
        assertThat(refused.indicatesSuccess()).isFalse();
        ErrorObject e = refused.toErrorResponse().getErrorObject();
        assertThat(e.getCode()).isEqualTo("invalid_request");
        assertThat(e.getDescription()).isEqualTo("You are not a member of this organization.");

        TokenResponse plain = token(new RefreshTokenGrant(t2.getRefreshToken()), null);
        assertThat(plain.indicatesSuccess()).as("the refused switch left the refresh token valid: " + plain).isTrue();
        assertThat(claims(plain.toSuccessResponse().getTokens().getAccessToken().getValue()).getStringClaim("org")).isEqualTo(globex);
    }

    /**
     * {@code GET /api/auth/orgs} also takes a user's token of another first-party client (the gateway lists the orgs
     * in its app this way), with the slugs; the same token of a client no longer first-party is refused.
     */
    @Test
    void aFirstPartyOAuthClientsUserTokenListsTheOrgsAndAThirdPartysDoesNot() throws Exception {
        String email = fx.newUser();
        String acme = member(email, "Acme", "viewer");
        String globex = member(email, "Globex", "editor");
        String registration = """
                {"client_id":"orgs-lister","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile","first_party":%s}""";
        JsonNode c = fx.register(registration.formatted("true"));
        ClientID lister = new ClientID("orgs-lister");
        CodeVerifier verifier = new CodeVerifier();
        URI authz = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"), lister, REDIRECT)
                .state(new State()).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .customParameter("organization", globex)
                .endpointURI(meta.getAuthorizationEndpointURI()).build().toURI();
        String back = fx.browse(new Http(fx.base), authz.toString(), email, REDIRECT.toString());
        TokenResponse tr = TokenResponse.parse(new TokenRequest.Builder(meta.getTokenEndpointURI(),
                new ClientSecretBasic(lister, new Secret(c.get("client_secret").asText())),
                new AuthorizationCodeGrant(new AuthorizationCode(OidcFixture.query(back).get("code")), REDIRECT, verifier))
                .build().toHTTPRequest().send());
        String token = tr.toSuccessResponse().getTokens().getAccessToken().getValue();

        Http.Response listed = new Http(fx.base).get("/api/auth/orgs", "Authorization", "Bearer " + token);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        JsonNode orgs = listed.json().get("orgs");
        assertThat(orgs).hasSize(2);
        assertThat(orgs.get(0).get("id").asText()).isEqualTo(acme);
        assertThat(orgs.get(0).get("slug").asText()).startsWith("acme");
        assertThat(orgs.get(0).get("current").asBoolean()).isFalse();
        assertThat(orgs.get(1).get("current").asBoolean()).as("the token's org").isTrue();

        assertThat(new Http(fx.base).delete("/api/auth/orgs/" + acme, "Authorization", "Bearer " + token, "X-CSRF", "1").status())
                .as("leaving stays the first-party API client's").isEqualTo(401);

        admin("PUT", "/admin/v1/clients/orgs-lister", registration.formatted("false"));
        Http.Response refused = new Http(fx.base).get("/api/auth/orgs", "Authorization", "Bearer " + token);
        assertThat(refused.status()).as("a third-party client's token: " + refused.body()).isEqualTo(401);
    }

    static TokenResponse token(com.nimbusds.oauth2.sdk.AuthorizationGrant grant, String organization) throws Exception {
        TokenRequest.Builder b = new TokenRequest.Builder(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, secret), grant);
        if (organization != null) {
            b.customParameter("organization", organization);
        }
        return TokenResponse.parse(b.build().toHTTPRequest().send());
    }

}
