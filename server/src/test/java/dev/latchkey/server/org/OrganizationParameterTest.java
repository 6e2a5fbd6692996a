package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code organization} authorization parameter (and its scope form {@code organization:<id or slug>}) over
 * real HTTP against a real server and PostgreSQL, driven by the Nimbus OAuth SDK as a relying party: a member's
 * grant is for the named organization (by id or by slug), a non-member or an unknown slug gets
 * {@code access_denied} at the redirect URI, a malformed value {@code invalid_request}.
 */
class OrganizationParameterTest {
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
                {"client_id":"orgparam-rp","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile","first_party":true}""");
        rp = new ClientID("orgparam-rp");
        secret = new Secret(c.get("client_secret").asText());
        admin("PUT", "/admin/v1/roles/viewer", "{\"permissions\":[\"notes:read\"]}");
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

    /** A new organization with {@code slug}, {@code email} a member of it; its id. */
    static String org(String slug, String email) {
        String id = admin("POST", "/admin/v1/orgs", "{\"name\":\"Org " + slug + "\",\"slug\":\"" + slug + "\"}").json().get("id").asText();
        if (email != null) {
            admin("PUT", "/admin/v1/orgs/" + id + "/members/" + email, "{\"roles\":[\"viewer\"]}");
        }
        return id;
    }

    static String slug() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Signs {@code email} in and follows the authorization request for {@code scope} naming {@code organization}. */
    static AuthorizationResponse authorize(String email, Scope scope, String organization, CodeVerifier verifier, State state) throws Exception {
        AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE, scope, rp, REDIRECT)
                .state(state).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(meta.getAuthorizationEndpointURI());
        if (organization != null) {
            b.customParameter("organization", organization);
        }
        String back = fx.browse(new Http(fx.base), b.build().toURI().toString(), email, REDIRECT.toString());
        assertThat(back).as("back at the relying party").startsWith(REDIRECT.toString());
        return AuthorizationResponse.parse(URI.create(back));
    }

    static JWTClaimsSet tokenClaims(AuthorizationResponse r, CodeVerifier verifier) throws Exception {
        assertThat(r.indicatesSuccess()).as(String.valueOf(r.toParameters())).isTrue();
        AuthorizationCode code = r.toSuccessResponse().getAuthorizationCode();
        TokenResponse t = TokenResponse.parse(new TokenRequest.Builder(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, secret),
                new AuthorizationCodeGrant(code, REDIRECT, verifier)).build().toHTTPRequest().send());
        assertThat(t.indicatesSuccess()).as(String.valueOf(t)).isTrue();
        Tokens tokens = t.toSuccessResponse().getTokens();
        JWTClaimsSet c = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(tokens.getAccessToken().getScope() == null ? List.<String>of() : tokens.getAccessToken().getScope().toStringList())
                .as("the scope never carries organization:").noneMatch(s -> s.startsWith("organization"));
        return c;
    }

    static AuthorizationErrorResponse refused(AuthorizationResponse r, State state) {
        assertThat(r.indicatesSuccess()).as("refused").isFalse();
        AuthorizationErrorResponse e = r.toErrorResponse();
        assertThat(e.getState()).as("the state comes back").isEqualTo(state);
        return e;
    }

    @Test
    void aMemberNamingAnOrganizationByIdOrSlugGetsATokenForIt() throws Exception {
        String email = fx.newUser();
        String first = org(slug(), email);
        String slug = slug();
        String second = org(slug, email);
        String third = org(slug(), email);

        CodeVerifier v1 = new CodeVerifier();
        assertThat(tokenClaims(authorize(email, new Scope("openid", "profile"), second, v1, new State()), v1).getStringClaim("org"))
                .as("by id").isEqualTo(second);
        CodeVerifier v2 = new CodeVerifier();
        JWTClaimsSet bySlug = tokenClaims(authorize(email, new Scope("openid", "profile"), slug, v2, new State()), v2);
        assertThat(bySlug.getStringClaim("org")).as("by slug").isEqualTo(second);
        assertThat(bySlug.getStringListClaim("roles")).containsExactly("viewer");
        CodeVerifier v3 = new CodeVerifier();
        assertThat(tokenClaims(authorize(email, new Scope("openid", "profile"), third.toUpperCase(), v3, new State()), v3).getStringClaim("org"))
                .as("an id in upper case is still that id").isEqualTo(third);
        assertThat(first).isNotIn(second, third);
    }

    @Test
    void theScopeFormNamesTheOrganizationToo() throws Exception {
        String email = fx.newUser();
        org(slug(), email);
        String slug = slug();
        String wanted = org(slug, email);
        CodeVerifier v = new CodeVerifier();
        JWTClaimsSet c = tokenClaims(authorize(email, new Scope("openid", "profile", "organization:" + slug), null, v, new State()), v);
        assertThat(c.getStringClaim("org")).isEqualTo(wanted);

        CodeVerifier same = new CodeVerifier();
        assertThat(tokenClaims(authorize(email, new Scope("openid", "organization:" + slug), slug, same, new State()), same)
                .getStringClaim("org")).as("parameter and scope naming the same organization").isEqualTo(wanted);
    }

    @Test
    void aNonMemberAndAnUnknownSlugAreDeniedAtTheRedirectUri() throws Exception {
        String email = fx.newUser();
        org(slug(), email);
        String otherSlug = slug();
        String others = org(otherSlug, fx.newUser());
        for (String named : List.of(others, otherSlug, slug(), UUID.randomUUID().toString())) {
            State state = new State();
            AuthorizationErrorResponse e = refused(authorize(email, new Scope("openid"), named, new CodeVerifier(), state), state);
            assertThat(e.getErrorObject().getCode()).as(named).isEqualTo("access_denied");
            assertThat(e.getErrorObject().getDescription()).as("a non-member and no such org are not told apart")
                    .isEqualTo("The signed-in user is not a member of the requested organization.");
        }
        State state = new State();
        AuthorizationErrorResponse e = refused(authorize(email, new Scope("openid", "organization:" + otherSlug), null, new CodeVerifier(), state),
                state);
        assertThat(e.getErrorObject().getCode()).as("scope form, non-member").isEqualTo("access_denied");
    }

    @Test
    void aMalformedOrganizationIsAnInvalidRequest() throws Exception {
        String email = fx.newUser();
        String slug = slug();
        String mine = org(slug, email);
        String other = org(slug(), email);
        // (an empty organization= is as if it were not sent, RFC 6749 §3.1: this user then sees the chooser)
        for (String bad : List.of("Acme Corp", "UPPER", "-leading", "trailing-", "a".repeat(64), "acme_eu")) {
            State state = new State();
            AuthorizationErrorResponse e = refused(authorize(email, new Scope("openid"), bad, new CodeVerifier(), state), state);
            assertThat(e.getErrorObject().getCode()).as("'" + bad + "'").isEqualTo("invalid_request");
            assertThat(e.getErrorObject().getDescription()).as(bad).contains("organization");
        }
        State two = new State();
        assertThat(refused(authorize(email, new Scope("openid", "organization:" + mine, "organization:" + other), null, new CodeVerifier(), two), two)
                .getErrorObject().getCode()).as("two scope values").isEqualTo("invalid_request");
        State differ = new State();
        AuthorizationErrorResponse d = refused(authorize(email, new Scope("openid", "organization:" + other), slug, new CodeVerifier(), differ), differ);
        assertThat(d.getErrorObject().getCode()).as("parameter and scope disagree").isEqualTo("invalid_request");
    }

    @Test
    void aPushedRequestNamesTheOrganizationToo() throws Exception {
        String email = fx.newUser();
        org(slug(), email);
        String slug = slug();
        String wanted = org(slug, email);
        CodeVerifier v = new CodeVerifier();
        AuthenticationRequest ar = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), rp, REDIRECT)
                .state(new State()).nonce(new Nonce()).codeChallenge(v, CodeChallengeMethod.S256).customParameter("organization", slug)
                .endpointURI(meta.getAuthorizationEndpointURI()).build();
        PushedAuthorizationResponse par = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
                meta.getPushedAuthorizationRequestEndpointURI(), new ClientSecretBasic(rp, secret), ar).toHTTPRequest().send());
        assertThat(par.indicatesSuccess()).as(String.valueOf(par)).isTrue();
        String authz = meta.getAuthorizationEndpointURI() + "?client_id=" + rp.getValue() + "&request_uri="
                + java.net.URLEncoder.encode(par.toSuccessResponse().getRequestURI().toString(), java.nio.charset.StandardCharsets.UTF_8);
        String back = fx.browse(new Http(fx.base), authz, email, REDIRECT.toString());
        assertThat(back).as("no chooser: the pushed request named the organization").startsWith(REDIRECT.toString());
        assertThat(tokenClaims(AuthorizationResponse.parse(URI.create(back)), v).getStringClaim("org")).isEqualTo(wanted);

        AuthenticationRequest bad = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), rp, REDIRECT)
                .state(new State()).nonce(new Nonce()).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                .customParameter("organization", "Not A Slug").endpointURI(meta.getAuthorizationEndpointURI()).build();
        PushedAuthorizationResponse refused = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
                meta.getPushedAuthorizationRequestEndpointURI(), new ClientSecretBasic(rp, secret), bad).toHTTPRequest().send());
        assertThat(refused.indicatesSuccess()).isFalse();
        assertThat(refused.toErrorResponse().getErrorObject().getCode()).as("refused at the PAR endpoint").isEqualTo("invalid_request");
    }
}
