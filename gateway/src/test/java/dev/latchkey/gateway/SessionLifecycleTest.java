package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session lifetime against a real server: refresh before expiry and after an upstream 401, idle and absolute timeouts
 * (the gateway's clock is injected), a failed refresh, and revocation through the server's feed.
 */
class SessionLifecycleTest {
    /** A generous upper bound for the revocation feed; it delivers in milliseconds. */
    static final Duration WITHIN = Duration.ofSeconds(15);

    GatewayFixture f;
    String email;
    GatewayFixture.Browser b;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(Map.of("LATCHKEY_ADMIN_API_KEY", OidcFixture.ADMIN_KEY),
                Map.of("LATCHKEY_GATEWAY_SESSION_IDLE", "30m", "LATCHKEY_GATEWAY_SESSION_ABSOLUTE", "1h"));
        email = f.newUser();
        b = f.new Browser();
        assertThat(b.signIn(email, "/").status()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    String bearer() {
        Http.Response r = b.gw.get("/api/notes");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("headers").get("authorization").asText().substring("Bearer ".length());
    }

    @Test
    void anAccessTokenAboutToExpireIsRefreshedOnceAndTheRequestSucceeds() throws Exception {
        String first = bearer();
        assertThat(bearer()).as("no refresh while the token is fresh").isEqualTo(first);
        long requests = f.tokenRequests();
        f.clock.advance(Duration.ofMinutes(5).minusSeconds(20));          // inside the 30 s refresh skew
        String second = bearer();
        assertThat(second).isNotEqualTo(first);
        assertThat(f.tokenRequests() - requests).isEqualTo(1);
        assertThat(f.refreshGenerations(email)).isEqualTo(1);
        assertThat(bearer()).isEqualTo(second);
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(200);
    }

    @Test
    void anUpstream401RefreshesOnceAndRetriesReplayableRequests() throws Exception {
        String first = bearer();
        f.api.rejected.add(first);
        long requests = f.tokenRequests();
        Http.Response r = b.gw.postJson("/api/notes", "{\"a\":1}", "X-CSRF", "1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("body").asText()).isEqualTo("{\"a\":1}");
        String second = r.json().get("headers").get("authorization").asText().substring(7);
        assertThat(second).isNotEqualTo(first);
        assertThat(f.tokenRequests() - requests).isEqualTo(1);

        // an upstream that keeps refusing: one refresh, one retry, then its 401 goes to the client
        f.api.rejected.add(second);
        requests = f.tokenRequests();
        Http.Response always = b.gw.get("/api/notes?status=401");
        assertThat(always.status()).isEqualTo(401);
        assertThat(f.tokenRequests() - requests).isEqualTo(1);

        // a streamed body cannot be replayed: no retry
        String third = bearer();
        f.api.rejected.add(third);
        int calls = f.api.calls.get();
        Http.Response big = b.gw.post("/api/notes", "text/plain", "z".repeat(100_000), "X-CSRF", "1");
        assertThat(big.status()).isEqualTo(401);
        assertThat(f.api.calls.get() - calls).isEqualTo(1);
    }

    @Test
    void whileTheServerIsDownAStillValidAccessTokenKeepsWorkingAndAnExpiredOneIs503() {
        String first = bearer();
        f.idp.ts.server.close();                                  // the server goes away (its database stays)
        f.clock.advance(Duration.ofMinutes(5).minusSeconds(20)); // refresh due, token still valid for 20 s
        assertThat(bearer()).isEqualTo(first);
        f.clock.advance(Duration.ofSeconds(30));                  // now expired, and no way to refresh
        Http.Response r = b.gw.get("/api/notes");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("code").asText()).isEqualTo("issuer_unavailable");
        assertThat(b.session()).as("the session is kept for when the server is back").isNotNull();
    }

    @Test
    void logoutEndsTheGatewaySessionEvenWhenTheServerCannotBeReached() {
        f.idp.ts.server.close();
        Http.Response r = b.gw.post("/auth/logout", null, null, "X-CSRF", "1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("logout_url").asText()).startsWith(f.idp.base + "/oauth2/logout?");
        assertThat(b.session()).isNull();
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(401);
    }

    @Test
    void anIdleSessionEndsAndActivitySlidesTheIdleTimeout() {
        f.clock.advance(Duration.ofMinutes(20));
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(20));                 // 40 min after sign-in, 20 after the last request
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(200);
        f.clock.advance(Duration.ofMinutes(31));
        Http.Response r = b.gw.get("/auth/me");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session=;"));
    }

    @Test
    void aSessionEndsAtItsAbsoluteTimeoutWhateverItsActivity() {
        for (int i = 0; i < 3; i++) {
            f.clock.advance(Duration.ofMinutes(19));
            assertThat(b.gw.get("/api/notes").status()).isEqualTo(200);
        }
        f.clock.advance(Duration.ofMinutes(4));                     // 61 min after sign-in
        assertThat(b.gw.get("/api/notes").status()).isEqualTo(401);
    }

    @Test
    void aFailedRefreshEndsTheSessionApiGets401AndPagesRedirectToLogin() {
        String rt = f.nodes.get(0).sessions().find(new dev.latchkey.gateway.session.SessionIds(f.sessionKey).hash(b.session()))
                .orElseThrow().tokens().refreshToken().orElseThrow();
        Http.Response revoked = new Http(f.idp.base).post("/oauth2/revoke", "application/x-www-form-urlencoded",
                "token=" + java.net.URLEncoder.encode(rt, StandardCharsets.UTF_8), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("gateway:" + f.clientSecret).getBytes(StandardCharsets.UTF_8)));
        assertThat(revoked.status()).isEqualTo(200);
        String cookie = b.session();
        f.clock.advance(Duration.ofMinutes(5));
        Http.Response page = b.gw.get("/dashboard");
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.header("Location")).isEqualTo("/auth/login?returnTo=%2Fdashboard");
        assertThat(page.headers("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session=;") && c.contains("Max-Age=0"));
        Http again = new Http(f.publicUrl);
        again.cookies.put("__Host-lk-session", cookie);
        Http.Response api = again.get("/api/notes");
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.headers("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session=;"));
    }

    @Test
    void disablingTheUserAtTheServerEndsTheGatewaySessionThroughTheRevocationFeed() throws Exception {
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(200);
        Http.Response d = new Http(f.idp.base).postJson("/admin/v1/users/" + f.userId(email) + "/disable", "{}",
                "Authorization", "Bearer " + OidcFixture.ADMIN_KEY);
        assertThat(d.status()).as(d.body()).isIn(200, 204);
        long deadline = System.nanoTime() + WITHIN.toNanos();
        int status;
        while ((status = b.gw.get("/auth/me").status()) == 200) {
            assertThat(System.nanoTime()).as("gateway session ended within " + WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(status).isEqualTo(401);
        assertThat(b.session()).isNull();
    }

    @Test
    void anIdleSessionIsDeletedAsSoonAsTheServerRevokesIt() throws Exception {
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(200);
        String subject = f.userId(email).toString();
        assertThat(f.gateway.sessions().idHashesOf(subject)).hasSize(1);

        Http.Response d = new Http(f.idp.base).postJson("/admin/v1/users/" + subject + "/disable", "{}",
                "Authorization", "Bearer " + OidcFixture.ADMIN_KEY);
        assertThat(d.status()).as(d.body()).isIn(200, 204);

        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!f.gateway.sessions().idHashesOf(subject).isEmpty()) {   // no request reaches the gateway meanwhile
            assertThat(System.nanoTime()).as("idle gateway session deleted within " + WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void signingOutEverywhereAtTheServerEndsTheGatewaySession() throws Exception {
        // the user's own first-party session at the server ends every other session, including the gateway's grant
        Http.Response login = new Http(f.idp.base).postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + OidcFixture.PASSWORD + "\"}");
        String at = login.json().get("access_token").asText();
        Http.Response others = new Http(f.idp.base).delete("/api/auth/sessions?others=true", "Authorization", "Bearer " + at);
        assertThat(others.status()).as(others.body()).isEqualTo(200);
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (b.gw.get("/api/notes").status() == 200) {
            assertThat(System.nanoTime()).as("gateway session ended within " + WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(401);
    }
}
