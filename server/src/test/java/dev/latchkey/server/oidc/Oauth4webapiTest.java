package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.latchkey.testkit.NodeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provider driven by oauth4webapi (panva), a strict OAuth 2.0 / OpenID Connect client for
 * JavaScript, as the relying party: the Node project in {@code src/test/node/oidc-rp} runs
 * discovery, code + PKCE with a sign-in on the hosted page, ID-token validation, refresh rotation,
 * userinfo, introspection, revocation, PAR, max_age, client credentials (with a secret and with
 * private_key_jwt) and RP-initiated logout against a real server started here. Node's own test
 * report is printed when it fails.
 */
class Oauth4webapiTest {
    static final Path PROJECT = Path.of("src", "test", "node", "oidc-rp");

    static NodeProject node;
    static OidcFixture fx;

    @BeforeAll
    static void setUp() {
        node = NodeProject.prepare(PROJECT);
        // one user signs in for every flow, more than ratelimit.login_per_account's 10 a minute
        fx = new OidcFixture(Map.of("LATCHKEY_RATELIMIT_LOGIN_PER_ACCOUNT", "100/1m"));
    }

    @AfterAll
    static void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void oauth4webapiAcceptsEveryFlow() throws Exception {
        String rpSecret = fx.register("""
                {"client_id":"o4w-rp","client_name":"oauth4webapi RP","redirect_uris":["https://rp.example.test/callback"],
                 "post_logout_redirect_uris":["https://rp.example.test/bye"],"grant_types":["authorization_code","refresh_token"],
                 "scope":"openid profile email offline_access","first_party":true}""").get("client_secret").asText();
        String esSecret = fx.register("""
                {"client_id":"o4w-rp-es256","redirect_uris":["https://rp.example.test/callback"],
                 "post_logout_redirect_uris":["https://rp.example.test/bye"],"grant_types":["authorization_code","refresh_token"],
                 "scope":"openid profile email offline_access","first_party":true,"id_token_signed_response_alg":"ES256"}""")
                .get("client_secret").asText();
        fx.register("""
                {"client_id":"o4w-spa","client_name":"oauth4webapi SPA","token_endpoint_auth_method":"none",
                 "redirect_uris":["https://spa.example.test/callback"],"grant_types":["authorization_code"],"scope":"openid profile email"}""");
        String rsSecret = fx.register("""
                {"client_id":"o4w-rs","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"notes:read notes:write","audiences":["https://api.example.test"]}""").get("client_secret").asText();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("o4w-key-1").generate();
        fx.register("""
                {"client_id":"o4w-pkjwt","token_endpoint_auth_method":"private_key_jwt","grant_types":["client_credentials"],
                 "scope":"notes:read","audiences":["https://api.example.test"],"jwks":%s}""".formatted(new JWKSet(key.toPublicJWK())));
        String email = fx.newUser();

        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_ISSUER", fx.base);
        env.put("LATCHKEY_RP_CLIENT_ID", "o4w-rp");
        env.put("LATCHKEY_RP_CLIENT_SECRET", rpSecret);
        env.put("LATCHKEY_RP_REDIRECT_URI", "https://rp.example.test/callback");
        env.put("LATCHKEY_RP_POST_LOGOUT_URI", "https://rp.example.test/bye");
        env.put("LATCHKEY_ES_CLIENT_ID", "o4w-rp-es256");
        env.put("LATCHKEY_ES_CLIENT_SECRET", esSecret);
        env.put("LATCHKEY_SPA_CLIENT_ID", "o4w-spa");
        env.put("LATCHKEY_SPA_REDIRECT_URI", "https://spa.example.test/callback");
        env.put("LATCHKEY_RS_CLIENT_ID", "o4w-rs");
        env.put("LATCHKEY_RS_CLIENT_SECRET", rsSecret);
        env.put("LATCHKEY_RS_AUDIENCE", "https://api.example.test");
        env.put("LATCHKEY_PKJWT_CLIENT_ID", "o4w-pkjwt");
        env.put("LATCHKEY_PKJWT_PRIVATE_JWK", key.toJSONString());
        env.put("LATCHKEY_USER_EMAIL", email);
        env.put("LATCHKEY_USER_PASSWORD", OidcFixture.PASSWORD);

        NodeProject.Run run = node.node(env, Duration.ofMinutes(3), "--test", "--test-reporter=spec", "rp.test.mjs");
        assertThat(run.exitCode()).as("node --test rp.test.mjs printed:%n%s", run.output()).isZero();
        // a run that tested nothing, or skipped something, must not pass either
        int tests = count(run.output(), "tests");
        assertThat(tests).as(run.output()).isGreaterThanOrEqualTo(15);
        assertThat(count(run.output(), "pass")).as(run.output()).isEqualTo(tests);
        System.out.println("oauth4webapi: " + tests + " tests passed");
    }

    /** A total from the spec reporter's summary ("ℹ pass 11"). */
    static int count(String output, String what) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\W*" + what + " (\\d+)\\s*$").matcher(output);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
