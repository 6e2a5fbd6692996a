package dev.latchkey.server.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in through upstream providers over real HTTP: mock-oauth2-server as the OpenID Connect provider,
 * the stand-in for tampered tokens and the GitHub-style mapping. Covers the linking rules (docs/identity-providers.md)
 * and the refused attacks.
 */
class FederationTest {
    static FederationFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = new FederationFixture(Map.of());
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void theSignInPageOffersAButtonPerEnabledProvider() {
        Http.Response page = fx.browser().get("/login?return_to=%2Faccount");
        assertThat(page.body()).contains("id=\"idp-corp\"", "Sign in with Corp SSO", "href=\"/login/idp/corp?return_to=%2Faccount\"",
                "Sign in with GitHub");
    }

    @Test
    void aFirstSignInCreatesTheUserAndTheNextOneFindsTheSameUser() {
        String email = FederationFixture.email();
        fx.next("corp", "alice-" + email, Map.of("email", email, "email_verified", true, "name", "Alice"));
        Http b = fx.browser();
        Http.Response cb = fx.roundTrip(b, "/login/idp/corp?return_to=%2Faccount");
        assertThat(cb.status()).as(cb.body()).isEqualTo(303);
        assertThat(cb.header("Location")).isEqualTo("/account");
        String id = fx.userId(b);
        Http.Response account = b.get("/account");
        assertThat(account.body()).contains(email, "Corp SSO", "not confirmed yet");   // corp is not trusted for e-mails

        fx.next("corp", "alice-" + email, Map.of("email", "changed-" + email, "email_verified", true));
        Http other = fx.browser();
        assertThat(fx.roundTrip(other, "/login/idp/corp").status()).isEqualTo(303);
        assertThat(fx.userId(other)).isEqualTo(id);
    }

    @Test
    void aTrustedProvidersVerifiedAddressIsMarkedVerifiedAndLinksAnExistingAccount() {
        String email = FederationFixture.email();
        Http owner = fx.browser();
        String id = fx.signUp(owner, email);
        fx.next("trusted", "t-" + email, Map.of("email", email, "email_verified", true));
        Http b = fx.browser();
        assertThat(fx.roundTrip(b, "/login/idp/trusted").status()).isEqualTo(303);
        assertThat(fx.userId(b)).isEqualTo(id);

        String fresh = FederationFixture.email();
        fx.next("trusted", "t-" + fresh, Map.of("email", fresh, "email_verified", true));
        Http c = fx.browser();
        fx.roundTrip(c, "/login/idp/trusted");
        assertThat(c.get("/account").body()).contains(fresh).doesNotContain("not confirmed yet");
    }

    @Test
    void anAddressMatchingAnExistingAccountNeverSignsInToItWithoutThatAccountsOwnSignIn() throws Exception {
        String email = FederationFixture.email();
        Http owner = fx.browser();
        String id = fx.signUp(owner, email);
        // not trusted, even with email_verified
        fx.next("corp", "mallory-1-" + email, Map.of("email", email, "email_verified", true));
        Http attacker = fx.browser();
        Http.Response r = fx.roundTrip(attacker, "/login/idp/corp");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body()).contains("already exists", "href=\"/login?return_to=%2Faccount\"");
        assertThat(attacker.get("/account").status()).isEqualTo(302);
        // trusted, but the address is unverified: never links
        fx.next("trusted", "mallory-2-" + email, Map.of("email", email, "email_verified", false));
        Http attacker2 = fx.browser();
        assertThat(fx.roundTrip(attacker2, "/login/idp/trusted").status()).isEqualTo(409);
        assertThat(attacker2.get("/account").status()).isEqualTo(302);
        assertThat(owner.get("/account").body()).contains("id=\"no-identities\"");
        assertThat(linkedCount(id)).isZero();
    }

    @Test
    void theSameSubjectAtTwoProvidersIsTwoIdentities() {
        String a = FederationFixture.email();
        String b2 = FederationFixture.email();
        fx.next("corp", "shared-subject-" + a, Map.of("email", a, "email_verified", true));
        Http one = fx.browser();
        fx.roundTrip(one, "/login/idp/corp");
        fx.next("corp2", "shared-subject-" + a, Map.of("email", b2, "email_verified", true));
        Http two = fx.browser();
        fx.roundTrip(two, "/login/idp/corp2");
        assertThat(fx.userId(one)).isNotEqualTo(fx.userId(two));
        // corp2 keeps its upstream tokens, sealed; corp (the default) keeps none
        try (Connection db = fx.ts.db.connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT provider, sealed FROM upstream_tokens WHERE subject = 'shared-subject-" + a + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("corp2");
            assertThat(new String(rs.getBytes(2), StandardCharsets.ISO_8859_1)).doesNotContain("eyJ");
            assertThat(rs.next()).isFalse();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aProviderThatMayNotCreateUsersSignsInNobodyNew() {
        fx.next("closed", "nobody", Map.of("email", FederationFixture.email(), "email_verified", true));
        Http b = fx.browser();
        Http.Response r = fx.roundTrip(b, "/login/idp/closed");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("no account", "id=\"back\"");
    }

    @Test
    void anIdTokenForAnotherAudienceWithAWrongNonceOrExpiredIsRefused() {
        for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(Map.of("aud", "someone-else"), Map.of("nonce", "not-ours"))) {
            fx.next("corp", "victim", Map.of("email", FederationFixture.email(), "email_verified", true, "aud", bad.getOrDefault("aud", "latchkey"),
                    "nonce", bad.getOrDefault("nonce", "x")));
            Http b = fx.browser();
            Http.Response r = fx.roundTrip(b, "/login/idp/corp");
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
            assertThat(r.body()).contains("could not sign you in");
            assertThat(lastRefusal()).contains("step ID_TOKEN", bad.containsKey("aud") ? "audience" : "nonce");
            assertThat(b.get("/account").status()).isEqualTo(302);
        }
        try {
            fx.standIn.idToken = UpstreamStandIn.IdToken.EXPIRED;
            fx.standIn.email = FederationFixture.email();
            Http b = fx.browser();
            assertThat(fx.roundTrip(b, "/login/idp/standin").status()).isEqualTo(400);
            assertThat(lastRefusal()).contains("step ID_TOKEN", "xpired");
            assertThat(b.get("/account").status()).isEqualTo(302);
        } finally {
            fx.standIn.idToken = UpstreamStandIn.IdToken.GOOD;
        }
    }

    @Test
    void idTokensSignedByAnUnknownKeyUnsignedOrMacedWithThePublicKeyAreRefused() {
        try {
            for (UpstreamStandIn.IdToken kind : java.util.List.of(UpstreamStandIn.IdToken.UNKNOWN_KEY, UpstreamStandIn.IdToken.ALG_NONE,
                    UpstreamStandIn.IdToken.HS256_WITH_PUBLIC_KEY)) {
                fx.standIn.idToken = kind;
                fx.standIn.email = FederationFixture.email();
                Http b = fx.browser();
                Http.Response r = fx.roundTrip(b, "/login/idp/standin");
                assertThat(r.status()).as(kind.name()).isEqualTo(400);
                assertThat(lastRefusal()).as(kind.name()).contains("step ID_TOKEN");
                assertThat(b.get("/account").status()).as(kind.name()).isEqualTo(302);
            }
            fx.standIn.idToken = UpstreamStandIn.IdToken.GOOD;
            fx.standIn.email = FederationFixture.email();
            Http b = fx.browser();
            assertThat(fx.roundTrip(b, "/login/idp/standin").status()).isEqualTo(303);
        } finally {
            fx.standIn.idToken = UpstreamStandIn.IdToken.GOOD;
        }
    }

    @Test
    void aReplayedCallbackAndAnotherBrowsersCallbackAreRefused() {
        String email = FederationFixture.email();
        fx.next("corp", "replay-" + email, Map.of("email", email, "email_verified", true));
        Http b = fx.browser();
        String cb = fx.upstreamCallback(b, "/login/idp/corp");
        // callback CSRF: the attacker's callback opened in the victim's browser
        Http victim = fx.browser();
        victim.get("/login");
        Http.Response forged = victim.get(cb);
        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body()).contains("did not start here");
        assertThat(victim.get("/account").status()).isEqualTo(302);
        // the flow was not spent by the forgery: its own browser still completes it, once
        assertThat(b.get(cb).status()).isEqualTo(303);
        Http.Response replay = b.get(cb);
        assertThat(replay.status()).isEqualTo(400);
    }

    @Test
    void ofConcurrentCallbacksWithTheSameStateExactlyOneSignsIn() throws Exception {
        String email = FederationFixture.email();
        fx.next("corp", "race-" + email, Map.of("email", email, "email_verified", true));
        Http b = fx.browser();
        String cb = fx.upstreamCallback(b, "/login/idp/corp");
        String cookies = String.join("; ", b.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        int n = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return new Http(fx.ts.base).get(cb, "Cookie", cookies).status();
                }));
            }
            go.countDown();
            java.util.List<Integer> statuses = new java.util.ArrayList<>();
            for (var a : answers) {
                statuses.add(a.get());
            }
            assertThat(statuses).containsOnlyOnce(303).containsOnly(303, 400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFormPostCallbackCompletesLikeAQueryOne() {
        String email = FederationFixture.email();
        fx.next("corp", "formpost-" + email, Map.of("email", email, "email_verified", true));
        Http b = fx.browser();
        String cb = fx.upstreamCallback(b, "/login/idp/corp");
        Map<String, String> q = OidcFixture.query(cb);
        Http.Response r = b.postForm("/login/idp/callback", Map.of("state", q.get("state"), "code", q.get("code")));
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        assertThat(b.get("/account").body()).contains(email);
        assertThat(b.postForm("/login/idp/callback", Map.of("state", q.get("state"), "code", q.get("code"))).status()).isEqualTo(400);
    }

    @Test
    void upstreamErrorsAndExpiredFlowsGiveAShortMessageAndAWayBack() throws Exception {
        Http b = fx.browser();
        Http.Response start = b.get("/login/idp/corp?return_to=%2Fsomewhere");
        String state = OidcFixture.query(start.header("Location")).get("state");
        Http.Response denied = b.get("/login/idp/callback?state=" + state + "&error=access_denied");
        assertThat(denied.status()).isEqualTo(400);
        assertThat(denied.body()).contains("was cancelled", "href=\"/login?return_to=%2Fsomewhere\"");

        Http c = fx.browser();
        String cb = fx.upstreamCallback(c, "/login/idp/corp");
        try (Connection db = fx.ts.db.connect(); Statement s = db.createStatement()) {
            s.executeUpdate("UPDATE upstream_flows SET expires_at = now() - interval '1 minute'");
        }
        Http.Response expired = c.get(cb);
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.body()).contains("expired", "id=\"back\"");

        Http.Response down = fx.browser().get("/login/idp/down");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body()).contains("cannot be reached");
    }

    @Test
    void aProviderAddedThroughTheAdminApiSignsInAndOneThatGoesDownMidwayFailsAtTheTokenExchange() throws Exception {
        UpstreamStandIn late = new UpstreamStandIn();
        try {
            Http.Response put = new Http(fx.ts.base).send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fx.ts.base
                    + "/admin/v1/identity-providers/late")).header("Authorization", "Bearer " + FederationFixture.ADMIN_KEY)
                    .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("""
                            {"issuer":"%s","client_id":"latchkey-at-standin","client_secret":"s","label":"Late SSO"}""".formatted(late.issuer()))));
            assertThat(put.status()).as(put.body()).isEqualTo(201);
            assertThat(fx.browser().get("/login").body()).contains("Sign in with Late SSO");
            late.email = FederationFixture.email();
            late.subject = "late-" + late.email;
            Http b = fx.browser();
            assertThat(fx.roundTrip(b, "/login/idp/late").status()).isEqualTo(303);
            assertThat(b.get("/account").body()).contains(late.email);

            Http c = fx.browser();
            String cb = fx.upstreamCallback(c, "/login/idp/late");
            late.close();
            Http.Response down = c.get(cb);
            assertThat(down.status()).isEqualTo(400);
            assertThat(down.body()).contains("Late SSO could not sign you in", "id=\"back\"");
            assertThat(lastRefusal()).contains("step TOKEN_EXCHANGE", "unreachable");
        } finally {
            late.close();
            new Http(fx.ts.base).delete("/admin/v1/identity-providers/late", "Authorization", "Bearer " + FederationFixture.ADMIN_KEY);
        }
    }

    @Test
    void badInputAtTheNewEndpointsIsA4xx() {
        Http b = fx.browser();
        for (String path : java.util.List.of("/login/idp/nosuch", "/login/idp/NOPE", "/login/idp/" + "x".repeat(300),
                "/login/idp/callback", "/login/idp/callback?state=a&state=b", "/login/idp/callback?state=" + "s".repeat(500),
                "/login/idp/callback?code=x", "/login/idp/callback?state=unknown&code=c", "/login/idp/corp?return_to=a&return_to=b",
                "/login/idp/callback?state=%00&error=%ff")) {
            Http.Response r = b.get(path);
            assertThat(r.status()).as(path).isBetween(400, 499);
        }
        for (String path : java.util.List.of("/account/identities/link", "/account/identities/unlink")) {
            Http.Response r = b.postForm(path, Map.of("provider", "corp"));
            assertThat(r.status()).as(path).isBetween(300, 499);
        }
    }

    @Test
    void gitHubStyleSignInUsesOnlyTheVerifiedPrimaryAddress() {
        String email = FederationFixture.email();
        fx.standIn.githubId = 90_000 + (long) (Math.random() * 1_000_000);
        fx.standIn.emailsJson = """
                [{"email":"secondary-%1$s","primary":false,"verified":true},{"email":"%1$s","primary":true,"verified":true}]""".formatted(email);
        Http b = fx.browser();
        assertThat(fx.roundTrip(b, "/login/idp/gh").status()).isEqualTo(303);
        assertThat(b.get("/account").body()).contains(email, "GitHub").doesNotContain("secondary-");

        fx.standIn.githubId = fx.standIn.githubId + 1;
        fx.standIn.emailsJson = """
                [{"email":"verified-%1$s","primary":false,"verified":true},{"email":"%1$s","primary":true,"verified":false}]""".formatted(email);
        Http c = fx.browser();
        Http.Response r = fx.roundTrip(c, "/login/idp/gh");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("did not share an e-mail address");
    }

    @Test
    void aSignedInUserLinksAnotherProviderAndUnlinksItButNeverTheLastWayIn() throws Exception {
        String email = FederationFixture.email();
        Http owner = fx.browser();
        String id = fx.signUp(owner, email);
        try (Connection db = fx.ts.db.connect(); Statement st = db.createStatement()) {
            st.executeUpdate("UPDATE sessions SET auth_time = now() - interval '1 hour' WHERE user_id = '" + id + "'");
        }
        Http.Response stale = owner.postForm("/account/identities/link", Map.of("csrf", FederationFixture.csrf(owner.get("/account")),
                "provider", "corp2"));
        assertThat(stale.header("Location")).startsWith("/login?prompt=login");
        try (Connection db = fx.ts.db.connect(); Statement st = db.createStatement()) {
            st.executeUpdate("UPDATE sessions SET auth_time = now() WHERE user_id = '" + id + "'");
        }
        fx.next("corp2", "link-" + email, Map.of("email", "elsewhere-" + email, "email_verified", true));
        Http.Response start = owner.postForm("/account/identities/link", Map.of("csrf", FederationFixture.csrf(owner.get("/account")),
                "provider", "corp2"));
        assertThat(start.status()).isEqualTo(303);
        Http.Response up = new Http(start.header("Location")).get(start.header("Location"));
        Http.Response cb = owner.get(up.header("Location"));
        assertThat(cb.status()).as(cb.body()).isEqualTo(302);
        assertThat(cb.header("Location")).isEqualTo("/account?done=identity-linked");
        assertThat(owner.get("/account").body()).contains("Corp Two", "id=\"unlink-corp2\"");
        // the linked identity now signs in the same user
        fx.next("corp2", "link-" + email, Map.of("email", "elsewhere-" + email, "email_verified", true));
        Http other = fx.browser();
        fx.roundTrip(other, "/login/idp/corp2");
        assertThat(fx.userId(other)).isEqualTo(id);
        Http.Response unlink = owner.postForm("/account/identities/unlink", Map.of("csrf", FederationFixture.csrf(owner.get("/account")),
                "provider", "corp2", "subject", "link-" + email));
        assertThat(unlink.header("Location")).isEqualTo("/account?done=identity-unlinked");
        assertThat(linkedCount(id)).isZero();

        // a link started by one user and finished after signing out never links
        Http.Response again = owner.postForm("/account/identities/link", Map.of("csrf", FederationFixture.csrf(owner.get("/account")),
                "provider", "corp2"));
        Http.Response up2 = new Http(again.header("Location")).get(again.header("Location"));
        owner.postForm("/logout", Map.of("csrf", FederationFixture.csrf(owner.get("/account"))));
        Http.Response late = owner.get(up2.header("Location"));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body()).contains("no longer signed in");
        assertThat(linkedCount(id)).isZero();

        // a user whose only way in is one identity cannot unlink it
        String solo = FederationFixture.email();
        fx.next("corp", "solo-" + solo, Map.of("email", solo, "email_verified", true));
        Http s = fx.browser();
        fx.roundTrip(s, "/login/idp/corp");
        Http.Response refused = s.postForm("/account/identities/unlink", Map.of("csrf", FederationFixture.csrf(s.get("/account")),
                "provider", "corp", "subject", "solo-" + solo));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("only way to sign in");
    }

    @Test
    void theAuthorizeHintGoesStraightToTheProviderAndTheIdTokenSaysFedAndWhichProvider() throws Exception {
        JsonNode client = registerClient("hinted-rp");
        String verifier = OidcFixture.verifier();
        String email = FederationFixture.email();
        fx.next("corp", "rp-" + email, Map.of("email", email, "email_verified", true));
        Http b = fx.browser();
        String authorize = "/oauth2/authorize?response_type=code&client_id=hinted-rp&redirect_uri="
                + URLEncoder.encode("https://rp.example.test/callback", StandardCharsets.UTF_8) + "&scope=openid%20email&state=s1&nonce=n1"
                + "&code_challenge=" + OidcFixture.challenge(verifier) + "&code_challenge_method=S256&idp=corp";
        Http.Response r = b.get(authorize);
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).startsWith("/login/idp/corp?return_to=%2Foauth2%2Fauthorize");
        Http.Response cb = fx.roundTrip(b, r.header("Location"));
        assertThat(cb.status()).as(cb.body()).isEqualTo(303);
        Http.Response back = b.get(cb.header("Location"));
        assertThat(back.status()).as(back.body()).isEqualTo(302);
        String code = OidcFixture.query(back.header("Location")).get("code");
        Http.Response token = b.postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
                "https://rp.example.test/callback", "code_verifier", verifier), "Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("hinted-rp:" + client.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8)));
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        var claims = SignedJWT.parse(token.json().get("id_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("amr")).containsExactly("fed");
        assertThat(claims.getStringClaim("idp")).isEqualTo("corp");
        assertThat(claims.getSubject()).isEqualTo(fx.userId(b));
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n1");
    }

    static JsonNode registerClient(String id) {
        return registerClientAt(fx, id);
    }

    static JsonNode registerClientAt(FederationFixture fx, String id) {
        return registerClientAt(fx, id, "https://rp.example.test/callback");
    }

    static JsonNode registerClientAt(FederationFixture fx, String id, String redirectUri) {
        Http.Response r = new Http(fx.ts.base).postJson("/admin/v1/clients", """
                {"client_id":"%s","redirect_uris":["%s"],"grant_types":["authorization_code"],
                 "scope":"openid profile email","first_party":true}""".formatted(id, redirectUri), "Authorization", "Bearer " + FederationFixture.ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** The detail of the newest refused upstream sign-in in the audit log (says which step failed). */
    static String lastRefusal() {
        try (Connection db = fx.ts.db.connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT detail FROM audit_events WHERE type = 'upstream_signin_refused' ORDER BY id DESC LIMIT 1")) {
            return rs.next() ? rs.getString(1) : "";
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    static int linkedCount(String userId) throws Exception {
        try (Connection db = fx.ts.db.connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM external_identities WHERE user_id = '" + userId + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
