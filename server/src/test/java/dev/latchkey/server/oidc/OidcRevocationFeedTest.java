package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.server.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An OAuth grant's access token carries the sid of a child session of the browser's SSO session; ending the
 * SSO session (RP-initiated logout) ends the child too, and a resource server following the revocation feed
 * refuses the token within seconds. Client-credentials tokens of other clients are untouched.
 */
class OidcRevocationFeedTest {
    static final String REDIRECT = "https://rp.example.test/callback";
    static OidcFixture fx;
    static String rpSecret;
    static String apiSecret;
    static RevocationFeed feed;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new OidcFixture(Map.of());
        rpSecret = fx.register("""
                {"client_id":"feed-rp","redirect_uris":["https://rp.example.test/callback"],"post_logout_redirect_uris":["https://rp.example.test/bye"],
                 "grant_types":["authorization_code"],"scope":"openid","audiences":["https://api.example.test"],"first_party":true}""")
                .get("client_secret").asText();
        apiSecret = fx.register("""
                {"client_id":"feed-api","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"latchkey:revocations notes:read","audiences":["https://api.example.test"]}""").get("client_secret").asText();
        feed = RevocationFeed.builder().issuer(fx.base).credentials(FeedCredentials.clientSecretPost("feed-api", apiSecret)).build().start();
        assertThat(feed.awaitReady(Duration.ofSeconds(10))).isTrue();
    }

    @AfterAll
    static void tearDown() {
        feed.close();
        fx.close();
    }

    @Test
    void endingTheSsoSessionRefusesTheGrantsAccessTokenButNotOtherClientsTokens() throws Exception {
        TokenVerifier api = TokenVerifier.builder().issuer(fx.base).audience("https://api.example.test").revocationCheck(feed).build();
        String email = fx.newUser();
        Http browser = new Http(fx.base);
        String verifier = OidcFixture.verifier();
        String authorize = fx.base + "/oauth2/authorize?response_type=code&client_id=feed-rp&scope=openid&state=s1&nonce=n1"
                + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&code_challenge=" + OidcFixture.challenge(verifier) + "&code_challenge_method=S256";
        String code = OidcFixture.query(fx.browse(browser, authorize, email, REDIRECT)).get("code");
        JsonNode tokens = new Http(fx.base).postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", verifier), "Authorization", basic("feed-rp", rpSecret)).json();
        String access = tokens.get("access_token").asText();
        String sid = SignedJWT.parse(access).getJWTClaimsSet().getStringClaim("sid");
        assertThat(api.verify(access).sessionId()).hasValue(sid);

        JsonNode service = new Http(fx.base).postForm("/oauth2/token", Map.of("grant_type", "client_credentials", "scope", "notes:read",
                "client_id", "feed-api", "client_secret", apiSecret)).json();
        String serviceToken = service.get("access_token").asText();
        assertThat(api.verify(serviceToken).subject()).isEqualTo("feed-api");

        Http.Response out = browser.get("/oauth2/logout?id_token_hint=" + tokens.get("id_token").asText()
                + "&post_logout_redirect_uri=" + URLEncoder.encode("https://rp.example.test/bye", StandardCharsets.UTF_8));
        assertThat(out.status()).isEqualTo(302);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                api.verify(access);
            } catch (TokenRejectedException e) {
                assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                break;
            }
            assertThat(System.nanoTime()).as("the grant's token is refused within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(api.verify(serviceToken).subject()).isEqualTo("feed-api");
    }

    static String basic(String id, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }
}
