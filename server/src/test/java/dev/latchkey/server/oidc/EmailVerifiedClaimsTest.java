package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
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
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.latchkey.server.Http;
import dev.latchkey.server.mail.Mailbox;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code email_verified} in ID tokens and userinfo is true only once the address was verified (and userinfo's cache follows). */
class EmailVerifiedClaimsTest {
    static final URI REDIRECT = URI.create("https://rp.example.test/callback");
    static Mailbox smtp;
    static OidcFixture fx;
    static OIDCProviderMetadata meta;
    static Secret secret;

    @BeforeAll
    static void start() throws Exception {
        smtp = Mailbox.open();
        fx = new OidcFixture(smtp.env());
        meta = OIDCProviderMetadata.resolve(new Issuer(fx.base));
        secret = new Secret(fx.register("""
                {"client_id":"verify-rp","redirect_uris":["https://rp.example.test/callback"],"grant_types":["authorization_code"],
                 "scope":"openid profile email","first_party":true}""").get("client_secret").asText());
    }

    @AfterAll
    static void stop() {
        fx.close();
        smtp.close();
    }

    /** Signs in through the authorization endpoint; the ID token's claims and userinfo's answer. */
    static Map.Entry<JWTClaimsSet, Http.Response> signIn(String email) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        URI authz = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"), new ClientID("verify-rp"), REDIRECT)
                .state(new State()).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(meta.getAuthorizationEndpointURI()).build().toURI();
        String back = fx.browse(new Http(fx.base), authz.toString(), email, REDIRECT.toString());
        TokenResponse tr = OIDCTokenResponseParser.parse(new TokenRequest(meta.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID("verify-rp"), secret),
                new AuthorizationCodeGrant(new AuthorizationCode(OidcFixture.query(back).get("code")), REDIRECT, verifier)).toHTTPRequest().send());
        assertThat(tr.indicatesSuccess()).as(String.valueOf(tr)).isTrue();
        OIDCTokenResponse ok = (OIDCTokenResponse) tr.toSuccessResponse();
        JWTClaimsSet id = JWTParser.parse(ok.getOIDCTokens().getIDTokenString()).getJWTClaimsSet();
        Http.Response userinfo = new Http(fx.base).get(meta.getUserInfoEndpointURI().toString(),
                "Authorization", "Bearer " + ok.getOIDCTokens().getAccessToken().getValue());
        return Map.entry(id, userinfo);
    }

    @Test
    void emailVerifiedTurnsTrueOnlyAfterTheMailedLinkWasUsed() throws Exception {
        String email = fx.newUser();
        var before = signIn(email);
        assertThat(before.getKey().getBooleanClaim("email_verified")).isFalse();
        assertThat(before.getValue().json().get("email_verified").asBoolean()).isFalse();

        String token = smtp.await(email, "Confirm your e-mail address").token();
        assertThat(new Http(fx.base).postJson("/api/auth/email/verify", "{\"token\":\"" + token + "\"}").status()).isEqualTo(200);

        var after = signIn(email);
        assertThat(after.getKey().getBooleanClaim("email_verified")).isTrue();
        assertThat(after.getValue().json().get("email_verified").asBoolean()).isTrue();
    }
}
