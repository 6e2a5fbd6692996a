package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.apikey.ApiKeys;
import dev.latchkey.sdk.revocation.FeedCredentials;
import dev.latchkey.sdk.revocation.RevocationFeed;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.mail.Mailbox;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.server.oidc.OidcPaths;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organizations on two server nodes sharing one PostgreSQL, over real HTTP: one invitation accepted twenty times at
 * once through both nodes makes one membership; one pending authorization continued on both nodes after the
 * organization chooser issues one code, and that code redeemed on both nodes at once gives one token response; an
 * API key revoked on one node is refused by the other, and an SDK verifier fed by the other node's revocation feed
 * refuses the token exchanged for it.
 */
class TwoNodeOrganizationsTest {
    static final String REDIRECT = "https://rp.example.test/callback";
    static final String VERIFIER = "two-node-verifier-0123456789-0123456789-0123456789";
    static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String API_KEY_TYPE = "urn:latchkey:params:oauth:token-type:api-key";
    static final Duration WITHIN = Duration.ofSeconds(20);
    static Mailbox smtp;
    static OidcFixture fx;
    static TestServer b;
    static String rpSecret;
    static String apiBasic;
    static String apiSecret;

    @BeforeAll
    static void start() {
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        fx = new OidcFixture(env);
        env.put("LATCHKEY_ADMIN_API_KEY", OidcFixture.ADMIN_KEY);
        b = TestServer.secondNode(fx.ts, env);
        rpSecret = fx.register("""
                {"client_id":"two-node-rp","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile","first_party":true}""")
                .get("client_secret").asText();
        apiSecret = fx.register("""
                {"client_id":"two-node-api","grant_types":["client_credentials","%s"],"scope":"latchkey:revocations"}""".formatted(EXCHANGE))
                .get("client_secret").asText();
        apiBasic = basic("two-node-api", apiSecret);
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (fx != null) {
            fx.close();
        }
        smtp.stop();
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** An admin call on node A. */
    static JsonNode admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + path)).method(method, body)
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r.body().isEmpty() ? null : r.json();
    }

    static String org(String name) {
        return admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + " " + UUID.randomUUID().toString().substring(0, 6) + "\"}").get("id").asText();
    }

    /** Node A's base for even {@code i}, node B's for odd. */
    static String node(int i) {
        return i % 2 == 0 ? fx.base : b.base;
    }

    /** A copy of {@code browser} (its cookies) aimed at {@code base}. */
    static Http tab(Http browser, String base) {
        Http h = new Http(base);
        h.cookies.putAll(browser.cookies);
        return h;
    }

    @Test
    void oneInvitationAcceptedTwentyTimesThroughBothNodesMakesOneMembership() throws Exception {
        String org = org("Two Node Invitees");
        String email = "two-node-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http user = new Http(fx.base);
        Http.Response up = user.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + OidcFixture.PASSWORD + "\"}");
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        String access = up.json().get("access_token").asText();
        admin("POST", "/admin/v1/orgs/" + org + "/invitations", "{\"email\":\"" + email + "\",\"roles\":[\"editor\"]}");
        String token = smtp.await(email, "Two Node Invitees").token();

        List<Http.Response> answers = concurrently(20, i -> new Http(node(i)).postJson("/api/auth/invitations/accept",
                "{\"token\":\"" + token + "\"}", "Authorization", "Bearer " + access));
        int accepted = 0;
        for (int i = 0; i < answers.size(); i++) {
            Http.Response r = answers.get(i);
            if (r.status() == 200) {
                accepted++;
                assertThat(r.json().get("org_id").asText()).isEqualTo(org);
            } else {
                assertThat(r.status()).as("request " + i + ": " + r.body()).isEqualTo(409);
                assertThat(r.code()).isIn("invitation_used", "already_member");
            }
        }
        assertThat(accepted).as("one acceptance across both nodes").isEqualTo(1);
        assertThat(admin("GET", "/admin/v1/orgs/" + org + "/members", null).get("members")).hasSize(1);
        long rows = fx.ts.backend().database().jdbc().queryOne("SELECT count(*) FROM memberships WHERE org_id = ?",
                rs -> rs.getLong(1), UUID.fromString(org)).orElseThrow();
        assertThat(rows).isEqualTo(1);
    }

    @Test
    void onePendingAuthorizationContinuedOnBothNodesIssuesOneCodeAndTheCodeRedeemsOnce() throws Exception {
        String email = fx.newUser();
        String alpha = org("Alpha");
        String beta = org("Beta");
        admin("PUT", "/admin/v1/orgs/" + alpha + "/members/" + email, "{\"roles\":[]}");
        admin("PUT", "/admin/v1/orgs/" + beta + "/members/" + email, "{\"roles\":[]}");
        Http browser = new Http(fx.base);
        String page = fx.browse(browser, authorizeUrl(), email, REDIRECT);
        assertThat(page).as("the chooser is shown").startsWith("page:200:").contains("Choose an organization");
        Map<String, String> form = Map.of("csrf", OidcFixture.find(page, "name=\"csrf\" value=\"([^\"]*)\""),
                "client_id", OidcFixture.find(page, "name=\"client_id\" value=\"([^\"]*)\""),
                "request_uri", OidcFixture.find(page, "name=\"request_uri\" value=\"([^\"]*)\""));

        // the chooser's form posted twenty times at once, half on each node, half for each organization
        List<Http.Response> chosen = concurrently(20, i -> {
            Map<String, String> f = new HashMap<>(form);
            f.put("org", i % 4 < 2 ? alpha : beta);
            return tab(browser, node(i)).postForm("/oauth2/organization", f);
        });
        List<String> continuations = new ArrayList<>();
        for (Http.Response r : chosen) {
            assertThat(r.status()).as(r.body()).isEqualTo(303);
            continuations.add(r.header("Location"));
        }
        // every continuation followed at once, each on the node it did not come from
        List<String> backs = concurrently(20, i -> {
            String base = node(i + 1);
            Http tab = tab(browser, base);
            return follow(tab, base, tab.get(onNode(continuations.get(i), base)));
        });
        List<String> codes = new ArrayList<>();
        for (String back : backs) {
            if (back.startsWith(REDIRECT) && OidcFixture.query(back).containsKey("code")) {
                codes.add(OidcFixture.query(back).get("code"));
            } else {
                assertThat(back).as("the others find the request used up, and get no code").doesNotContain("code=");
            }
        }
        assertThat(codes).as("one code for one interaction, across both nodes").hasSize(1);

        // the code redeemed twenty times at once on both nodes: one token response, invalid_grant for the rest
        String code = codes.get(0);
        List<Http.Response> redeemed = concurrently(20, i -> new Http(node(i)).postForm("/oauth2/token", Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER),
                "Authorization", basic("two-node-rp", rpSecret)));
        List<String> tokens = new ArrayList<>();
        for (Http.Response r : redeemed) {
            if (r.status() == 200) {
                tokens.add(r.json().get("access_token").asText());
            } else {
                assertThat(r.status()).as(r.body()).isEqualTo(400);
                assertThat(r.json().get("error").asText()).isEqualTo("invalid_grant");
            }
        }
        assertThat(tokens).as("one token response").hasSize(1);
        assertThat(SignedJWT.parse(tokens.get(0)).getJWTClaimsSet().getStringClaim("org")).isIn(alpha, beta);
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedByTheOtherAndByAVerifierFedByTheOther() throws Exception {
        String org = org("Two Node Keys");
        admin("PUT", "/admin/v1/roles/two-node-editor", "{\"permissions\":[\"reports:read\"]}");
        String sa = admin("POST", "/admin/v1/orgs/" + org + "/service-accounts", "{\"name\":\"Reporter\",\"roles\":[\"two-node-editor\"]}")
                .get("id").asText();
        JsonNode made = admin("POST", "/admin/v1/orgs/" + org + "/service-accounts/" + sa + "/api-keys", "{\"name\":\"nightly\"}");
        String key = made.get("key").asText();

        try (RevocationFeed feedOfB = RevocationFeed.builder().issuer(fx.base)
                .credentials(FeedCredentials.clientSecretBasic("two-node-api", apiSecret))
                .endpoint(URI.create(b.base + OidcPaths.REVOCATION_FEED))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build().start()) {
            assertThat(feedOfB.awaitReady(WITHIN)).as("B's feed is ready").isTrue();
            TokenVerifier verifier = TokenVerifier.builder().issuer(fx.base).audience(fx.base).revocationCheck(feedOfB).build();

            Http.Response onB = exchangeOn(b.base, key);
            assertThat(onB.status()).as(onB.body()).isEqualTo(200);
            String token = onB.json().get("access_token").asText();
            assertThat(verifier.verify(token).subject()).isEqualTo("sa_" + sa);

            admin("DELETE", "/admin/v1/orgs/" + org + "/service-accounts/" + sa + "/api-keys/" + made.get("id").asText(), null);

            Http.Response refused = exchangeOn(b.base, key);
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().get("error").asText()).isEqualTo("invalid_grant");
            assertThat(refused.json().get("error_description").asText()).isEqualTo(ApiKeys.REFUSED);

            // B's feed carries the revocation made on A (asynchronously: poll until the verifier refuses)
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (true) {
                try {
                    verifier.verify(token);
                } catch (TokenRejectedException e) {
                    assertThat(e.reason()).isEqualTo(RejectReason.REVOKED);
                    break;
                }
                assertThat(System.nanoTime()).as("B's feed announced the revocation made on A").isLessThan(deadline);
                Thread.sleep(10);
            }
            Http.Response introspected = new Http(b.base).postForm("/oauth2/introspect", Map.of("token", token), "Authorization", apiBasic);
            assertThat(introspected.status()).as(introspected.body()).isEqualTo(200);
            assertThat(introspected.json().get("active").asBoolean()).as("B's introspection").isFalse();
        }
    }

    static Http.Response exchangeOn(String base, String key) {
        return new Http(base).postForm("/oauth2/token", Map.of("grant_type", EXCHANGE, "subject_token", key,
                "subject_token_type", API_KEY_TYPE), "Authorization", apiBasic);
    }

    static String authorizeUrl() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        return fx.base + "/oauth2/authorize?response_type=code&client_id=two-node-rp&scope=openid&state=s1&nonce=n1"
                + "&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }

    /** A location (absolute under the shared public URL, or relative) made to point at {@code base}'s node. */
    static String onNode(String location, String base) {
        String absolute = URI.create(fx.base + "/").resolve(location).toString();
        return absolute.startsWith(fx.base) ? base + absolute.substring(fx.base.length()) : absolute;
    }

    /** Follows redirects on one node until the relying party's redirect URI (returned) or a page ("page:..."). */
    static String follow(Http browser, String base, Http.Response r) {
        for (int hop = 0; hop < 10; hop++) {
            if (r.status() / 100 != 3) {
                return "page:" + r.status() + ":" + r.body();
            }
            String loc = onNode(r.header("Location"), base);
            if (loc.startsWith(REDIRECT)) {
                return loc;
            }
            r = browser.get(loc);
        }
        throw new AssertionError("too many hops");
    }

    @FunctionalInterface
    interface Call<T> {
        T run(int i) throws Exception;
    }

    /** Runs {@code n} calls released together; returns their results in order. */
    static <T> List<T> concurrently(int n, Call<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                fs.add(pool.submit((Callable<T>) () -> {
                    go.await();
                    return call.run(index);
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
