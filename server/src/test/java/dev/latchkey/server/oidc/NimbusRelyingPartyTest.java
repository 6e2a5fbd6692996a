package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.latchkey.server.Http;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider driven end to end by a client library we did not write: the Nimbus OAuth 2.0 /
 * OpenID Connect SDK as relying party, over real HTTP, with a real sign-in on the hosted page.
 */
class NimbusRelyingPartyTest {
    static OidcFixture fx;
    static OIDCProviderMetadata meta;
    static final URI REDIRECT = URI.create("https://rp.example.test/callback");
    static final URI POST_LOGOUT = URI.create("https://rp.example.test/bye");
    static ClientID rp;
    static Secret rpSecret;
    static ClientID rs;
    static Secret rsSecret;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new OidcFixture(Map.of());
        meta = OIDCProviderMetadata.resolve(new Issuer(fx.base));
        JsonNode c = fx.register("""
                {"client_id":"nimbus-rp","client_name":"Nimbus RP","redirect_uris":["https://rp.example.test/callback"],
                 "post_logout_redirect_uris":["https://rp.example.test/bye"],"grant_types":["authorization_code","refresh_token"],
                 "scope":"openid profile email offline_access","first_party":true}""");
        rp = new ClientID("nimbus-rp");
        rpSecret = new Secret(c.get("client_secret").asText());
        JsonNode r = fx.register("""
                {"client_id":"nimbus-rs","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"notes:read notes:write","audiences":["https://api.example.test"]}""");
        rs = new ClientID("nimbus-rs");
        rsSecret = new Secret(r.get("client_secret").asText());
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    /** A complete sign-in; returns the browser (with its SSO cookie) and the validated token response. */
    record Login(Http browser, OIDCTokenResponse tokens, IDTokenClaimsSet idClaims) {
    }

    static Login login(String email) throws Exception {
        return login(email, rp, rpSecret, JWSAlgorithm.RS256);
    }

    /** A sign-in of {@code client}, whose ID token is validated as signed with {@code idTokenAlg}. */
    static Login login(String email, ClientID rp, Secret rpSecret, JWSAlgorithm idTokenAlg) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        URI authz = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile", "email"), rp, REDIRECT)
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(meta.getAuthorizationEndpointURI()).build().toURI();
        Http browser = new Http(fx.base);
        String back = fx.browse(browser, authz.toString(), email, REDIRECT.toString());
        Map<String, String> q = OidcFixture.query(back);
        assertThat(q.get("state")).isEqualTo(state.getValue());
        assertThat(q.get("iss")).isEqualTo(fx.base);                  // RFC 9207
        TokenResponse tr = OIDCTokenResponseParser.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, rpSecret),
                new AuthorizationCodeGrant(new AuthorizationCode(q.get("code")), REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(tr.indicatesSuccess()).as(String.valueOf(tr)).isTrue();
        OIDCTokenResponse ok = (OIDCTokenResponse) tr.toSuccessResponse();
        IDTokenValidator v = new IDTokenValidator(meta.getIssuer(), rp, idTokenAlg, meta.getJWKSetURI().toURL());
        IDTokenClaimsSet claims = v.validate(ok.getOIDCTokens().getIDToken(), nonce);
        AccessTokenValidator.validate(ok.getOIDCTokens().getAccessToken(), JWSAlgorithm.ES256, claims.getAccessTokenHash());
        return new Login(browser, ok, claims);
    }

    @Test
    void discoveryIsCompleteAndConsistent() {
        assertThat(meta.getIssuer().getValue()).isEqualTo(fx.base);
        assertThat(meta.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
        assertThat(meta.getResponseTypes()).containsExactly(ResponseType.CODE);
        assertThat(meta.getPushedAuthorizationRequestEndpointURI()).isNotNull();
        assertThat(meta.getEndSessionEndpointURI()).isNotNull();
        assertThat(meta.getIntrospectionEndpointURI()).isNotNull();
        assertThat(meta.getRevocationEndpointURI()).isNotNull();
        assertThat(meta.supportsAuthorizationResponseIssuerParam()).isTrue();
        Http.Response oauth = new Http(fx.base).get("/.well-known/oauth-authorization-server");
        assertThat(oauth.json().get("issuer").asText()).isEqualTo(fx.base);
    }

    /**
     * OIDC Discovery §3: RS256 must be supported for ID tokens, and an RP that registered no
     * id_token_signed_response_alg assumes it. One that registered ES256 gets ES256. Access tokens stay ES256.
     */
    @Test
    void idTokensAreRs256UnlessTheClientRegisteredEs256() throws Exception {
        assertThat(meta.getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        JWKSet jwks = JWKSet.load(meta.getJWKSetURI().toURL());
        assertThat(jwks.getKeys()).extracting(k -> k.getAlgorithm()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        assertThat(jwks.getKeys()).filteredOn(k -> k instanceof com.nimbusds.jose.jwk.RSAKey).allSatisfy(k -> {
            assertThat(((com.nimbusds.jose.jwk.RSAKey) k).size()).isGreaterThanOrEqualTo(2048);
            assertThat(k.getKeyUse()).isEqualTo(com.nimbusds.jose.jwk.KeyUse.SIGNATURE);
            assertThat(k.isPrivate()).isFalse();
        });
        String email = fx.newUser();

        Login byDefault = login(email);
        var defaultId = byDefault.tokens().getOIDCTokens().getIDToken();
        assertThat(((com.nimbusds.jwt.SignedJWT) defaultId).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(com.nimbusds.jwt.SignedJWT.parse(byDefault.tokens().getOIDCTokens().getAccessToken().getValue()).getHeader().getAlgorithm())
                .isEqualTo(JWSAlgorithm.ES256);
        IDTokenValidator esOnly = new IDTokenValidator(meta.getIssuer(), rp, JWSAlgorithm.ES256, meta.getJWKSetURI().toURL());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> esOnly.validate(defaultId, null))
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);

        JsonNode c = fx.register("""
                {"client_id":"nimbus-rp-es256","redirect_uris":["https://rp.example.test/callback"],"grant_types":["authorization_code"],
                 "post_logout_redirect_uris":["https://rp.example.test/bye"],"scope":"openid profile email","first_party":true,
                 "id_token_signed_response_alg":"ES256"}""");
        assertThat(c.get("id_token_signed_response_alg").asText()).isEqualTo("ES256");
        ClientID es = new ClientID("nimbus-rp-es256");
        Login withEs256 = login(email, es, new Secret(c.get("client_secret").asText()), JWSAlgorithm.ES256);
        var esId = withEs256.tokens().getOIDCTokens().getIDToken();
        assertThat(((com.nimbusds.jwt.SignedJWT) esId).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        IDTokenValidator rsOnly = new IDTokenValidator(meta.getIssuer(), es, JWSAlgorithm.RS256, meta.getJWKSetURI().toURL());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rsOnly.validate(esId, null))
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);

        // an ES256 ID token is an id_token_hint as good as an RS256 one: logout without confirmation
        URI logout = new LogoutRequest(meta.getEndSessionEndpointURI(), esId, POST_LOGOUT, new State("es")).toURI();
        Http.Response r = withEs256.browser().get(logout.toString());
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo(POST_LOGOUT + "?state=es");
        // a tampered hint is no hint
        String forged = defaultId.serialize().substring(0, defaultId.serialize().length() - 4) + "AAAA";
        Http.Response f = byDefault.browser().get(meta.getEndSessionEndpointURI() + "?id_token_hint=" + forged);
        assertThat(f.status()).isEqualTo(400);
    }

    @Test
    void authorizationCodeWithPkceAndIdTokenValidation() throws Exception {
        String email = fx.newUser();
        Login l = login(email);
        IDTokenClaimsSet c = l.idClaims();
        assertThat(c.getSubject().getValue()).matches("[0-9a-f-]{36}");
        assertThat(c.getAuthenticationTime()).isNotNull();
        assertThat(c.getAMR()).extracting(Object::toString).containsExactly("pwd");
        assertThat(c.getACR().getValue()).isEqualTo("urn:latchkey:acr:1fa");
        assertThat(c.getStringClaim("sid")).isNotBlank();
        assertThat(c.getStringClaim("email")).isEqualTo(email);
        assertThat(l.tokens().getOIDCTokens().getRefreshToken()).isNotNull();
        JWTClaimsSet at = com.nimbusds.jwt.SignedJWT.parse(l.tokens().getOIDCTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(at.getSubject()).isEqualTo(c.getSubject().getValue());
        assertThat(at.getStringClaim("client_id")).isEqualTo("nimbus-rp");
        // one minter: the access token says how the user signed in as the ID token does
        assertThat(at.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(at.getStringClaim("acr")).isEqualTo(c.getACR().getValue());
        assertThat(at.getLongClaim("auth_time")).isEqualTo(c.getAuthenticationTime().getTime() / 1000);
        assertThat(at.getStringClaim("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile", "email");
    }

    @Test
    void refreshRotatesUserinfoRevocationAndIntrospection() throws Exception {
        String email = fx.newUser();
        Login l = login(email);
        RefreshToken first = l.tokens().getOIDCTokens().getRefreshToken();
        TokenResponse r1 = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, rpSecret),
                new RefreshTokenGrant(first)).toHTTPRequest().send());
        assertThat(r1.indicatesSuccess()).as(String.valueOf(r1)).isTrue();
        RefreshToken second = r1.toSuccessResponse().getTokens().getRefreshToken();
        AccessToken access = r1.toSuccessResponse().getTokens().getAccessToken();
        assertThat(second.getValue()).isNotEqualTo(first.getValue());

        UserInfoResponse ui = UserInfoResponse.parse(new UserInfoRequest(meta.getUserInfoEndpointURI(), (BearerAccessToken) access)
                .toHTTPRequest().send());
        assertThat(ui.indicatesSuccess()).isTrue();
        assertThat(ui.toSuccessResponse().getUserInfo().getEmailAddress()).isEqualTo(email);
        assertThat(ui.toSuccessResponse().getUserInfo().getName()).isEqualTo("Olga");

        ClientAuthentication rsAuth = new ClientSecretPost(rs, rsSecret);
        TokenIntrospectionResponse active = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(),
                rsAuth, access).toHTTPRequest().send());
        TokenIntrospectionSuccessResponse ok = active.toSuccessResponse();
        assertThat(ok.isActive()).isTrue();
        assertThat(ok.getClientID()).isEqualTo(rp);
        assertThat(ok.getUsername()).isEqualTo(email);
        // a refresh token is described only to the client it was issued to (RFC 7662 §2.2); to the resource server it is inactive
        TokenIntrospectionSuccessResponse refreshInfo = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                meta.getIntrospectionEndpointURI(), new ClientSecretBasic(rp, rpSecret), second).toHTTPRequest().send()).toSuccessResponse();
        assertThat(refreshInfo.isActive()).isTrue();
        assertThat(TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(), rsAuth, second)
                .toHTTPRequest().send()).toSuccessResponse().isActive()).isFalse();

        // revoking the refresh token ends its family and session: the access token dies with it
        HTTPResponse revoked = new TokenRevocationRequest(meta.getRevocationEndpointURI(), new ClientSecretBasic(rp, rpSecret), second)
                .toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);
        assertThat(TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(), rsAuth, access)
                .toHTTPRequest().send()).toSuccessResponse().isActive()).isFalse();
        TokenResponse after = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, rpSecret),
                new RefreshTokenGrant(second)).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) after).getErrorObject().getCode()).isEqualTo("invalid_grant");
        UserInfoResponse gone = UserInfoResponse.parse(new UserInfoRequest(meta.getUserInfoEndpointURI(), (BearerAccessToken) access)
                .toHTTPRequest().send());
        assertThat(gone.indicatesSuccess()).isFalse();
        // an unknown token is still a 200 (RFC 7009 §2.2)
        assertThat(new TokenRevocationRequest(meta.getRevocationEndpointURI(), new ClientSecretBasic(rp, rpSecret), new RefreshToken("nope"))
                .toHTTPRequest().send().getStatusCode()).isEqualTo(200);
    }

    @Test
    void clientCredentialsWithScopesAndAudience() throws Exception {
        TokenResponse t = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretPost(rs, rsSecret),
                new ClientCredentialsGrant(), new Scope("notes:read")).toHTTPRequest().send());
        assertThat(t.indicatesSuccess()).as(String.valueOf(t)).isTrue();
        JWTClaimsSet c = com.nimbusds.jwt.SignedJWT.parse(t.toSuccessResponse().getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertThat(c.getSubject()).isEqualTo("nimbus-rs");
        assertThat(c.getAudience()).containsExactly("https://api.example.test");
        assertThat(c.getStringClaim("scope")).isEqualTo("notes:read");
        assertThat(t.toSuccessResponse().getTokens().getRefreshToken()).isNull();
        TokenResponse wide = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretPost(rs, rsSecret),
                new ClientCredentialsGrant(), new Scope("admin")).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) wide).getErrorObject().getCode()).isEqualTo("invalid_scope");
        TokenResponse basic = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rs, rsSecret),
                new ClientCredentialsGrant()).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) basic).getErrorObject().getCode()).isEqualTo("invalid_client");
        TokenResponse badSecret = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretPost(rs, new Secret("wrong")),
                new ClientCredentialsGrant()).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) badSecret).getErrorObject().getHTTPStatusCode()).isEqualTo(401);
    }

    @Test
    void rpInitiatedLogoutEndsTheSessionAndReturnsOnlyToARegisteredUri() throws Exception {
        String email = fx.newUser();
        Login l = login(email);
        URI logout = new LogoutRequest(meta.getEndSessionEndpointURI(), l.tokens().getOIDCTokens().getIDToken(), POST_LOGOUT, new State("s1")).toURI();
        Http.Response r = l.browser().get(logout.toString());
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo(POST_LOGOUT + "?state=s1");
        // the SSO session is gone: a silent authorization now fails with login_required
        URI silent = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), rp, REDIRECT).state(new State("x"))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).prompt(new com.nimbusds.openid.connect.sdk.Prompt("none"))
                .endpointURI(meta.getAuthorizationEndpointURI()).build().toURI();
        Http.Response s = l.browser().get(silent.toString());
        assertThat(OidcFixture.query(s.header("Location")).get("error")).isEqualTo("login_required");
        // and the grant's tokens are dead
        TokenResponse refresh = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, rpSecret),
                new RefreshTokenGrant(l.tokens().getOIDCTokens().getRefreshToken())).toHTTPRequest().send());
        assertThat(refresh.indicatesSuccess()).isFalse();
        // a post-logout URI that is not registered is never followed
        Login again = login(email);
        URI evil = new LogoutRequest(meta.getEndSessionEndpointURI(), again.tokens().getOIDCTokens().getIDToken(),
                URI.create("https://evil.example/"), null).toURI();
        Http.Response e = again.browser().get(evil.toString());
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.header("Location")).isNull();
    }

    @Test
    void pushedAuthorizationRequestAndPrivateKeyJwt() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        fx.register("""
                {"client_id":"pkjwt","token_endpoint_auth_method":"private_key_jwt","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code"],"scope":"openid","first_party":true,"require_pushed_authorization_requests":true,
                 "jwks":%s}""".formatted(new JWKSet(key.toPublicJWK()).toString()));
        ClientID id = new ClientID("pkjwt");
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest ar = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), id, REDIRECT)
                .state(new State("p")).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(meta.getAuthorizationEndpointURI()).build();
        // without PAR this client is refused
        Http.Response direct = new Http(fx.base).get(ar.toURI().toString());
        assertThat(OidcFixture.query(direct.header("Location")).get("error")).isEqualTo("invalid_request");

        PushedAuthorizationResponse par = PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(
                meta.getPushedAuthorizationRequestEndpointURI(), assertion(id, key, meta.getPushedAuthorizationRequestEndpointURI()), ar)
                .toHTTPRequest().send());
        assertThat(par.indicatesSuccess()).as(String.valueOf(par)).isTrue();
        URI requestUri = par.toSuccessResponse().getRequestURI();
        String email = fx.newUser();
        String authz = meta.getAuthorizationEndpointURI() + "?client_id=pkjwt&request_uri=" + java.net.URLEncoder.encode(requestUri.toString(),
                java.nio.charset.StandardCharsets.UTF_8);
        String back = fx.browse(new Http(fx.base), authz, email, REDIRECT.toString());
        String code = OidcFixture.query(back).get("code");
        assertThat(code).isNotNull();
        TokenResponse t = OIDCTokenResponseParser.parse(new TokenRequest(meta.getTokenEndpointURI(), assertion(id, key, meta.getTokenEndpointURI()),
                new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(t.indicatesSuccess()).as(String.valueOf(t)).isTrue();
        // the request_uri is single-use
        Http.Response reused = new Http(fx.base).get(authz);
        assertThat(reused.status()).isEqualTo(400);
        // an assertion signed by another key is refused
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        TokenResponse forged = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), assertion(id, other, meta.getTokenEndpointURI()),
                new AuthorizationCodeGrant(new AuthorizationCode(code), REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) forged).getErrorObject().getCode()).isEqualTo("invalid_client");
        // and a replayed assertion too (RFC 7523 §3: single-use jti)
        PrivateKeyJWT once = assertion(id, key, meta.getTokenEndpointURI());
        TokenRequest first = new TokenRequest(meta.getTokenEndpointURI(), once, new AuthorizationCodeGrant(new AuthorizationCode("x"), REDIRECT, verifier));
        assertThat(((TokenErrorResponse) TokenResponse.parse(first.toHTTPRequest().send())).getErrorObject().getCode()).isEqualTo("invalid_grant");
        assertThat(((TokenErrorResponse) TokenResponse.parse(first.toHTTPRequest().send())).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    static PrivateKeyJWT assertion(ClientID id, ECKey key, URI audience) throws Exception {
        return new PrivateKeyJWT(id, audience, JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null);
    }


    @Test
    void jwtTypedAccessTokensAreAnExplicitPerClientOptIn() throws Exception {
        JsonNode c = fx.register("""
                {"client_id":"legacy-typ","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"api:read","access_token_type":"jwt"}""");
        assertThat(c.get("access_token_type").asText()).isEqualTo("jwt");
        TokenResponse t = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(),
                new ClientSecretPost(new ClientID("legacy-typ"), new Secret(c.get("client_secret").asText())), new ClientCredentialsGrant())
                .toHTTPRequest().send());
        AccessToken at = t.toSuccessResponse().getTokens().getAccessToken();
        assertThat(com.nimbusds.jwt.SignedJWT.parse(at.getValue()).getHeader().getType().getType()).isEqualTo("JWT");
        // Latchkey itself still recognises it as an access token of that client
        assertThat(TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(),
                new ClientSecretPost(rs, rsSecret), at).toHTTPRequest().send()).toSuccessResponse().isActive()).isTrue();
        // while an ID token (typ JWT too) is never taken for an access token
        Login l = login(fx.newUser());
        BearerAccessToken idAsAccess = new BearerAccessToken(l.tokens().getOIDCTokens().getIDTokenString());
        assertThat(TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(meta.getIntrospectionEndpointURI(),
                new ClientSecretPost(rs, rsSecret), idAsAccess).toHTTPRequest().send()).toSuccessResponse().isActive()).isFalse();
        assertThat(UserInfoResponse.parse(new UserInfoRequest(meta.getUserInfoEndpointURI(), idAsAccess).toHTTPRequest().send())
                .indicatesSuccess()).isFalse();
    }
}
