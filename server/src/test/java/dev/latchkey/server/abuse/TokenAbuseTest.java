package dev.latchkey.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the token endpoint over real HTTP: authorization-code replay (RFC 6749 §4.1.2,
 * RFC 9700 §4.2.3), PKCE downgrade (RFC 7636, RFC 9700 §2.1.1), refresh-token reuse after the
 * grace window (RFC 9700 §4.14.2), and revocation or use of tokens by someone who does not hold
 * them whole (RFC 7009 §2.1). The grace window is 0 here: every replay of a rotated token is reuse.
 */
class TokenAbuseTest {
    static final String CB = "https://app.example.test/cb";
    static OidcFixture fx;
    static String secret;
    static String otherSecret;

    @BeforeAll
    static void setUp() {
        fx = new OidcFixture(Map.of("LATCHKEY_TOKENS_REFRESH_GRACE", "0s"));
        secret = fx.register("""
                {"client_id":"app","redirect_uris":["https://app.example.test/cb"],"first_party":true,
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile"}""").get("client_secret").asText();
        otherSecret = fx.register("""
                {"client_id":"other","redirect_uris":["https://other.example.test/cb"],"first_party":true,
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid"}""").get("client_secret").asText();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String basic(String id, String s) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + s).getBytes(StandardCharsets.UTF_8));
    }

    static String authorize(String challengeParams) {
        return "/oauth2/authorize?response_type=code&client_id=app&scope=openid&state=st&redirect_uri=" + enc(CB) + challengeParams;
    }

    /** Signs a new user in and returns a code bound to {@code verifier} (S256). */
    static String code(String verifier) {
        String back = fx.browse(new Http(fx.base), fx.base + authorize("&code_challenge=" + OidcFixture.challenge(verifier)
                + "&code_challenge_method=S256"), fx.newUser(), CB);
        return OidcFixture.query(back).get("code");
    }

    static Http.Response token(String client, String sec, String body) {
        return new Http(fx.base).post("/oauth2/token", "application/x-www-form-urlencoded", body, "Authorization", basic(client, sec));
    }

    static Http.Response redeem(String code, String verifier) {
        return token("app", secret, "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(CB)
                + (verifier == null ? "" : "&code_verifier=" + enc(verifier)));
    }

    static Http.Response refresh(String client, String sec, String rt) {
        return token(client, sec, "grant_type=refresh_token&refresh_token=" + enc(rt));
    }

    static boolean active(String token) {
        return new Http(fx.base).post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + enc(token),
                "Authorization", basic("app", secret)).json().get("active").asBoolean();
    }

    @Test
    void aReplayedCodeIsRefusedAndRevokesWhatTheCodeIssued() {
        String v = OidcFixture.verifier();
        String code = code(v);
        Http.Response first = redeem(code, v);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        String at = first.json().get("access_token").asText();
        String rt = first.json().get("refresh_token").asText();
        assertThat(active(at)).isTrue();

        Http.Response replay = redeem(code, v);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(replay.json().has("access_token")).isFalse();
        // RFC 6749 §4.1.2: the tokens issued with the code are revoked
        assertThat(active(at)).isFalse();
        assertThat(active(rt)).isFalse();
        assertThat(new Http(fx.base).get("/oauth2/userinfo", "Authorization", "Bearer " + at).status()).isEqualTo(401);
        assertThat(refresh("app", secret, rt).json().get("error").asText()).isEqualTo("invalid_grant");
        // a third try is refused the same way
        assertThat(redeem(code, v).json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void ofConcurrentRedemptionsOfOneCodeExactlyOneWins() throws Exception {
        String v = OidcFixture.verifier();
        String code = code(v);
        CountDownLatch start = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                fs.add(pool.submit(() -> {
                    start.await();
                    return redeem(code, v).status();
                }));
            }
            start.countDown();
            for (Future<Integer> f : fs) {
                statuses.add(f.get());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 400).hasSize(7);
    }

    /** PKCE S256 is required (RFC 9700 §2.1.1): plain, a missing method (which means plain) or no challenge are refused. */
    @Test
    void aDowngradedOrMissingPkceChallengeIsRefusedAtTheAuthorizationEndpoint() {
        String v = OidcFixture.verifier();
        for (String params : new String[] {
            "&code_challenge=" + v + "&code_challenge_method=plain",
            "&code_challenge=" + v,
            "&code_challenge=" + OidcFixture.challenge(v) + "&code_challenge_method=s256",
            "&code_challenge=" + OidcFixture.challenge(v) + "&code_challenge_method=S512",
            "",
            "&code_challenge_method=S256",
        }) {
            Http.Response r = new Http(fx.base).get(authorize(params));
            assertThat(r.status()).as(params).isIn(302, 303);
            String location = r.header("Location");
            assertThat(location).as(params).startsWith(CB);
            assertThat(OidcFixture.query(location)).as(params).containsEntry("error", "invalid_request").doesNotContainKey("code");
        }
    }

    @Test
    void theTokenEndpointInsistsOnTheVerifierAndARefusalDoesNotSpendTheCode() {
        String v = OidcFixture.verifier();
        String code = code(v);
        Http.Response missing = redeem(code, null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isIn("invalid_request", "invalid_grant");
        // the challenge itself as a "plain" verifier, another verifier, an empty one
        for (String wrong : new String[] {OidcFixture.challenge(v), OidcFixture.verifier(), ""}) {
            Http.Response r = redeem(code, wrong);
            assertThat(r.status()).as(wrong).isEqualTo(400);
            assertThat(r.json().has("access_token")).isFalse();
        }
        Http.Response ok = redeem(code, v);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void aRefreshTokenReusedAfterTheGraceWindowRevokesTheFamily() {
        String v = OidcFixture.verifier();
        JsonNode first = redeem(code(v), v).json();
        String rt1 = first.get("refresh_token").asText();
        JsonNode second = refresh("app", secret, rt1).json();
        String rt2 = second.get("refresh_token").asText();
        String at2 = second.get("access_token").asText();
        assertThat(active(at2)).isTrue();

        Http.Response reuse = refresh("app", secret, rt1);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json().get("error").asText()).isEqualTo("invalid_grant");
        // the legitimate successor and the tokens of the grant are gone too
        assertThat(refresh("app", secret, rt2).json().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(active(at2)).isFalse();
        assertThat(active(first.get("access_token").asText())).isFalse();
    }

    @Test
    void anotherClientCanNeitherUseNorRevokeNorIntrospectARefreshToken() {
        String v = OidcFixture.verifier();
        String rt = redeem(code(v), v).json().get("refresh_token").asText();
        assertThat(refresh("other", otherSecret, rt).json().get("error").asText()).isEqualTo("invalid_grant");
        Http.Response revoke = new Http(fx.base).post("/oauth2/revoke", "application/x-www-form-urlencoded", "token=" + enc(rt),
                "Authorization", basic("other", otherSecret));
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(new Http(fx.base).post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + enc(rt),
                "Authorization", basic("other", otherSecret)).json().toString()).isEqualTo("{\"active\":false}");
        assertThat(active(rt)).as("the owner's token survived").isTrue();
        assertThat(refresh("app", secret, rt).status()).isEqualTo(200);
    }

    /** RFC 7009 §2.1: what is revoked is the token presented, so a token made up around a known family id revokes nothing. */
    @Test
    void aForgedRefreshTokenWithAKnownFamilyRevokesNothing() {
        String v = OidcFixture.verifier();
        String rt = redeem(code(v), v).json().get("refresh_token").asText();
        byte[] raw = Base64.getUrlDecoder().decode(rt);
        byte[] forged = raw.clone();
        for (int i = 16; i < forged.length; i++) {
            forged[i] = (byte) (forged[i] ^ 0x5a);    // same family id, another secret
        }
        String fake = Base64.getUrlEncoder().withoutPadding().encodeToString(forged);
        for (String hint : new String[] {"", "&token_type_hint=refresh_token"}) {
            Http.Response r = new Http(fx.base).post("/oauth2/revoke", "application/x-www-form-urlencoded", "token=" + enc(fake) + hint,
                    "Authorization", basic("app", secret));
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(active(rt)).isTrue();
        JsonNode next = refresh("app", secret, rt).json();
        assertThat(next.has("access_token")).as(next.toString()).isTrue();
        // the genuine token still revokes
        String current = next.get("refresh_token").asText();
        assertThat(new Http(fx.base).post("/oauth2/revoke", "application/x-www-form-urlencoded", "token=" + enc(current),
                "Authorization", basic("app", secret)).status()).isEqualTo(200);
        assertThat(active(current)).isFalse();
    }
}
