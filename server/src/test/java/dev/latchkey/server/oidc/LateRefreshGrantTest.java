package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.server.HeldRequest;
import dev.latchkey.server.Http;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A late duplicate of a {@code refresh_token} grant at the token endpoint, driven by the Nimbus
 * OAuth SDK: refused with {@code invalid_grant} and a description that says what happened, while
 * the grant and its newest refresh token live on.
 */
class LateRefreshGrantTest {
    static final URI REDIRECT = URI.create("https://rp.example.test/callback");
    static OidcFixture fx;
    static OIDCProviderMetadata meta;
    static ClientID rp;
    static Secret secret;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new OidcFixture(Map.of("LATCHKEY_TOKENS_REFRESH_GRACE", "60s"));
        meta = OIDCProviderMetadata.resolve(new Issuer(fx.base));
        JsonNode c = fx.register("""
                {"client_id":"late-rp","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile","first_party":true}""");
        rp = new ClientID("late-rp");
        secret = new Secret(c.get("client_secret").asText());
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static Tokens signIn() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        URI authz = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"), rp, REDIRECT)
                .state(new State()).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(meta.getAuthorizationEndpointURI()).build().toURI();
        String back = fx.browse(new Http(fx.base), authz.toString(), fx.newUser(), REDIRECT.toString());
        TokenResponse r = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, secret),
                new AuthorizationCodeGrant(new AuthorizationCode(OidcFixture.query(back).get("code")), REDIRECT, verifier))
                .toHTTPRequest().send());
        assertThat(r.indicatesSuccess()).as(String.valueOf(r)).isTrue();
        return r.toSuccessResponse().getTokens();
    }

    static Tokens refresh(RefreshToken token) throws Exception {
        TokenResponse r = TokenResponse.parse(new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, secret),
                new RefreshTokenGrant(token)).toHTTPRequest().send());
        assertThat(r.indicatesSuccess()).as(String.valueOf(r)).isTrue();
        return r.toSuccessResponse().getTokens();
    }

    @Test
    void aLateDuplicateGetsInvalidGrantAndTheGrantLivesOn() throws Exception {
        Tokens first = signIn();
        RefreshToken r0 = first.getRefreshToken();
        // the same request the client is about to send, held back on its way
        HTTPRequest request = new TokenRequest(meta.getTokenEndpointURI(), new ClientSecretBasic(rp, secret),
                new RefreshTokenGrant(r0)).toHTTPRequest();
        HTTPResponse late;
        Tokens newest;
        try (HeldRequest held = HeldRequest.post(fx.base, meta.getTokenEndpointURI().getPath(),
                request.getBody().getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", request.getAuthorization())) {
            // the client gave up on it, retried at once and refreshed twice more
            newest = refresh(refresh(refresh(r0).getRefreshToken()).getRefreshToken());
            Http.Response answer = held.release();
            late = new HTTPResponse(answer.status());
            late.setHeader("Content-Type", answer.header("Content-Type"));
            late.setBody(answer.body());
        }

        TokenResponse parsed = TokenResponse.parse(late);
        assertThat(parsed.indicatesSuccess()).isFalse();
        ErrorObject error = ((TokenErrorResponse) parsed).getErrorObject();
        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("invalid_grant");
        assertThat(error.getDescription()).contains("replaced by a newer one", "nothing was revoked", "newest refresh token");

        // nothing was revoked: the newest access token still works and the newest refresh token rotates
        UserInfoResponse ui = UserInfoResponse.parse(new UserInfoRequest(meta.getUserInfoEndpointURI(),
                (BearerAccessToken) newest.getAccessToken()).toHTTPRequest().send());
        assertThat(ui.indicatesSuccess()).isTrue();
        assertThat(refresh(newest.getRefreshToken()).getRefreshToken()).isNotEqualTo(newest.getRefreshToken());
        assertThat(fx.ts.backend().audit().recent(null, AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
    }
}
