package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway over real HTTP against a real Latchkey server and PostgreSQL: login, callback, me, proxy, logout. */
class GatewayFlowTest {
    static GatewayFixture f;
    static String email;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
        email = f.newUser();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static GatewayFixture.Browser signedIn() {
        GatewayFixture.Browser b = f.new Browser();
        Http.Response r = b.signIn(email, "/dashboard?tab=1");
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/dashboard?tab=1");
        assertThat(b.session()).isNotBlank();
        return b;
    }

    @Test
    void loginRedirectsToTheServerWithPkceS256StateAndNonceAndSetsAHostFlowCookie() {
        Http gw = new Http(f.publicUrl);
        Http.Response r = gw.get("/auth/login?returnTo=/dashboard");
        assertThat(r.status()).isEqualTo(303);
        String location = r.header("Location");
        assertThat(location).startsWith(f.idp.base + "/oauth2/authorize?");
        Map<String, String> q = OidcFixture.query(location);
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", "gateway")
                .containsEntry("redirect_uri", f.publicUrl + "/auth/callback").containsEntry("code_challenge_method", "S256")
                .containsEntry("scope", "openid profile email offline_access");
        assertThat(q.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(q.get("state")).matches("[A-Za-z0-9_-]{43}");
        assertThat(q.get("nonce")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(q.get("state"));
        String flowCookie = r.headers("Set-Cookie").stream().filter(c -> c.startsWith("__Host-lk-flow-" + q.get("state").substring(0, 16) + "="))
                .findFirst().orElseThrow();
        assertThat(flowCookie).contains("Path=/", "Secure", "HttpOnly", "SameSite=Lax").doesNotContain("Domain");
        // a second login gets fresh values
        Map<String, String> q2 = OidcFixture.query(new Http(f.publicUrl).get("/auth/login").header("Location"));
        assertThat(q2.get("state")).isNotEqualTo(q.get("state"));
        assertThat(q2.get("code_challenge")).isNotEqualTo(q.get("code_challenge"));
    }

    @Test
    void theStepUpEntryAsksTheServerForTheAcrAndRefusesAMalformedOne() {
        Http gw = new Http(f.publicUrl);
        Http.Response r = gw.get("/auth/login?acr=urn:latchkey:acr:mfa&returnTo=/settings");
        assertThat(r.status()).isEqualTo(303);
        Map<String, String> q = OidcFixture.query(r.header("Location"));
        assertThat(q).containsEntry("acr_values", "urn:latchkey:acr:mfa").containsEntry("client_id", "gateway");
        assertThat(OidcFixture.query(gw.get("/auth/login?returnTo=/settings").header("Location"))).doesNotContainKey("acr_values");
        Http.Response bad = gw.get("/auth/login?acr=%22%3E%3Cscript%3E&returnTo=/settings");
        assertThat(bad.status()).isEqualTo(400);
        // the server, asked so, makes a one-factor session confirm a second factor before it issues the code
        GatewayFixture.Browser b = f.new Browser();
        b.signIn(email, "/dashboard");
        Http.Response step = b.gw.get("/auth/login?acr=urn:latchkey:acr:mfa&returnTo=/settings");
        Http.Response authorize = b.server.get(step.header("Location"));
        assertThat(authorize.status()).isEqualTo(302);
        assertThat(authorize.header("Location")).startsWith("/account/confirm?return_to=");
    }

    @Test
    void signInCreatesAHostSessionCookieAndMeAnswersTheClaims() {
        GatewayFixture.Browser b = f.new Browser();
        String callback = b.authorizeAndSignIn(email, "/dashboard?tab=1");
        assertThat(OidcFixture.query(callback)).containsEntry("iss", f.idp.base).containsKey("code");
        Http.Response r = b.gw.get(callback);
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/dashboard?tab=1");
        String cookie = r.headers("Set-Cookie").stream().filter(c -> c.startsWith("__Host-lk-session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("Path=/", "Secure", "HttpOnly", "SameSite=Lax").doesNotContain("Domain", "Max-Age=0");

        Http.Response me = b.gw.get("/auth/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("email").asText()).isEqualTo(email);
        assertThat(me.json().get("name").asText()).isEqualTo("Olga");
        assertThat(me.json().get("sub").asText()).isEqualTo(f.userId(email).toString());
        assertThat(me.json().get("roles").isArray()).isTrue();
        assertThat(me.json().get("acr").asText()).isEqualTo("urn:latchkey:acr:1fa");
        assertThat(me.json().get("amr").toString()).isEqualTo("[\"pwd\"]");
        assertThat(me.json().get("auth_time").asLong()).isPositive();
        assertThat(me.body()).doesNotContain("token");
    }

    @Test
    void aNewLoginGetsANewSessionIdAndEndsTheOldOne() {
        GatewayFixture.Browser b = signedIn();
        String first = b.session();
        Http.Response again = b.signIn(email, "/");
        assertThat(again.status()).isEqualTo(303);
        assertThat(b.session()).isNotEqualTo(first);
        Http old = new Http(f.publicUrl);
        old.cookies.put("__Host-lk-session", first);
        assertThat(old.get("/auth/me").status()).isEqualTo(401);
    }

    @Test
    void meWithoutASessionIs401ProblemJson() {
        Http.Response r = new Http(f.publicUrl).get("/auth/me");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
        Http forged = new Http(f.publicUrl);
        forged.cookies.put("__Host-lk-session", "forged-value");
        Http.Response fr = forged.get("/auth/me");
        assertThat(fr.status()).isEqualTo(401);
        assertThat(fr.headers("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session=;") && c.contains("Max-Age=0"));
    }

    @Test
    void callbackWithMissingForgedOrReplayedStateGoesBackToSignInWithoutASession() {
        // missing state
        GatewayFixture.Browser b = f.new Browser();
        String callback = b.authorizeAndSignIn(email, "/dashboard");
        Map<String, String> q = OidcFixture.query(callback);
        Http.Response missing = b.gw.get("/auth/callback?code=" + q.get("code") + "&iss=" + enc(f.idp.base));
        assertNoSession(b, missing);
        // forged state
        GatewayFixture.Browser c = f.new Browser();
        String cb2 = c.authorizeAndSignIn(email, "/dashboard");
        Map<String, String> q2 = OidcFixture.query(cb2);
        assertNoSession(c, c.gw.get("/auth/callback?code=" + q2.get("code") + "&state=forged&iss=" + enc(f.idp.base)));
        // replayed: the first use succeeds, the second is refused
        GatewayFixture.Browser d = f.new Browser();
        String cb3 = d.authorizeAndSignIn(email, "/dashboard");
        String flowName = "__Host-lk-flow-" + OidcFixture.query(cb3).get("state").substring(0, 16);
        String flowCookie = d.gw.cookies.get(flowName);
        assertThat(d.gw.get(cb3).status()).isEqualTo(303);
        GatewayFixture.Browser replay = f.new Browser();
        replay.gw.cookies.put(flowName, flowCookie);
        assertNoSession(replay, replay.gw.get(cb3));
        // state of another browser (login CSRF): no flow cookie of that flow here
        GatewayFixture.Browser victim = f.new Browser();
        GatewayFixture.Browser attacker = f.new Browser();
        String cb4 = attacker.authorizeAndSignIn(email, "/");
        victim.gw.get("/auth/login");                        // the victim has a flow cookie of its own
        assertNoSession(victim, victim.gw.get(cb4));
    }

    @Test
    void loginsStartedInTwoTabsBothComplete() {
        GatewayFixture.Browser b = f.new Browser();
        String first = b.authorizeAndSignIn(email, "/one");
        String second = b.authorizeAndSignIn(email, "/two");
        assertThat(b.gw.get(second).header("Location")).isEqualTo("/two");
        assertThat(b.gw.get(first).header("Location")).isEqualTo("/one");
        assertThat(b.gw.cookies.keySet()).noneMatch(k -> k.startsWith("__Host-lk-flow-"));
    }

    @Test
    void callbackWithAnErrorAWrongIssuerOrAForgedCodeIsRefused() {
        GatewayFixture.Browser b = f.new Browser();
        String callback = b.authorizeAndSignIn(email, "/");
        Map<String, String> q = OidcFixture.query(callback);
        assertNoSession(b, b.gw.get("/auth/callback?code=" + q.get("code") + "&state=" + q.get("state") + "&iss=" + enc("http://evil.test")));

        GatewayFixture.Browser c = f.new Browser();
        Map<String, String> q2 = OidcFixture.query(c.authorizeAndSignIn(email, "/"));
        assertNoSession(c, c.gw.get("/auth/callback?code=forged-code&state=" + q2.get("state") + "&iss=" + enc(f.idp.base)));

        GatewayFixture.Browser d = f.new Browser();
        Map<String, String> q3 = OidcFixture.query(d.authorizeAndSignIn(email, "/"));
        assertNoSession(d, d.gw.get("/auth/callback?error=access_denied&state=" + q3.get("state") + "&iss=" + enc(f.idp.base)));
    }

    private static void assertNoSession(GatewayFixture.Browser b, Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("/auth/login");
        assertThat(r.headers("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-lk-session=") && !c.contains("Max-Age=0"));
        assertThat(b.session()).isNull();
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.com", "/\\evil.com", "https://evil.com/", "http://evil.com", "/%2F%2Fevil.com", "%2F%2Fevil.com",
            "/%5Cevil.com", "\\\\evil.com", "javascript:alert(1)", "/ok\r\nSet-Cookie:x=1", "/\tevil", " /dashboard", "evil.com",
            "/%2f%2fevil.com", "//%09/evil.com", "/%0d%0aX:1", ""})
    void returnToOutsideTheSiteLandsOnTheDefaultPage(String returnTo) {
        GatewayFixture.Browser b = f.new Browser();
        Http.Response r = b.signIn(email, returnTo);
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard", "/dashboard/notes?id=3&x=%2F", "/a/b/c#frag"})
    void returnToWithinTheSiteIsKept(String returnTo) {
        GatewayFixture.Browser b = f.new Browser();
        assertThat(b.signIn(email, returnTo).header("Location")).isEqualTo(returnTo);
    }

    @Test
    void apiCallsGetAFreshBearerTokenAndNeverTheBrowsersCookiesOrAuthorization() {
        GatewayFixture.Browser b = signedIn();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Http.Response r = b.gw.get("/api/notes/1?x=y", "Authorization", "Bearer attacker", "Latchkey-Assertion", "forged",
                "traceparent", traceparent, "X-Forwarded-For", "6.6.6.6", "Proxy-Authorization", "Basic c2VjcmV0", "Keep-Alive", "timeout=5", "Cookie", "other=1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode h = r.json().get("headers");
        assertThat(r.json().get("path").asText()).isEqualTo("/api/notes/1");
        assertThat(r.json().get("query").asText()).isEqualTo("x=y");
        String auth = h.get("authorization").asText();
        assertThat(auth).startsWith("Bearer ey").doesNotContain("attacker");
        JsonNode at = decode(auth.substring(7));
        assertThat(at.get("sub").asText()).isEqualTo(f.userId(email).toString());
        assertThat(at.get("client_id").asText()).isEqualTo("gateway");
        assertThat(h.has("cookie")).isFalse();
        assertThat(h.has("latchkey-assertion")).isFalse();
        assertThat(h.has("proxy-authorization")).isFalse();
        assertThat(h.has("keep-alive")).isFalse();
        assertThat(h.get("x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        assertThat(h.get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(h.get("x-forwarded-host").asText()).isEqualTo("localhost:" + f.port);
        assertThat(h.get("traceparent").asText()).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").doesNotContain("00f067aa0ba902b7");
        assertThat(r.header("X-Upstream")).isEqualTo("echo");
        assertThat(r.headers("Set-Cookie")).as("an API cannot set cookies through the gateway").isEmpty();
        // without a traceparent one is created
        JsonNode h2 = b.gw.get("/api/notes").json().get("headers");
        assertThat(h2.get("traceparent").asText()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void anUpstreamsAbsoluteRedirectToItselfPointsAtThePublicOrigin() {
        GatewayFixture.Browser b = signedIn();
        Http.Response r = b.gw.get("/api/notes/moved");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).isEqualTo(f.publicUrl + "/api/notes/1?from=moved");
        assertThat(r.header("traceresponse")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
    }

    @Test
    void apiWithoutASessionIs401ProblemAndTheUpstreamIsNotCalled() {
        int before = f.api.calls.get();
        Http.Response r = new Http(f.publicUrl).get("/api/notes/1");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        assertThat(f.api.calls.get()).isEqualTo(before);
    }

    @Test
    void requestBodiesAreForwardedAndLargeResponsesStream() {
        GatewayFixture.Browser b = signedIn();
        Http.Response r = b.gw.postJson("/api/notes", "{\"text\":\"hello\"}", "X-CSRF", "1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("method").asText()).isEqualTo("POST");
        assertThat(r.json().get("body").asText()).isEqualTo("{\"text\":\"hello\"}");
        String big = "y".repeat(200_000);      // larger than the retry buffer: streamed
        Http.Response rb = b.gw.post("/api/notes", "text/plain", big, "X-CSRF", "1");
        assertThat(rb.json().get("body").asText()).isEqualTo(big);
        Http.Response large = b.gw.get("/api/notes/big");
        assertThat(large.status()).isEqualTo(200);
        assertThat(large.body()).hasSize(10 * 1024 * 1024);
    }

    @Test
    void responsesStreamThroughTheGatewayAsTheUpstreamWritesThem() throws Exception {
        GatewayFixture.Browser b = signedIn();
        f.api.releaseSecondPart = new java.util.concurrent.CountDownLatch(1);
        java.net.http.HttpResponse<java.util.stream.Stream<String>> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(f.publicUrl + "/api/notes/stream"))
                        .header("Cookie", "__Host-lk-session=" + b.session()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines());
        var lines = r.body().iterator();
        assertThat(lines.next()).isEqualTo("first");          // arrives while the upstream is still holding the rest
        f.api.releaseSecondPart.countDown();
        assertThat(lines.next()).isEqualTo("second");
    }

    @Test
    void requestBodiesStreamToTheUpstreamBeforeTheClientHasSentThemWhole() throws Exception {
        GatewayFixture.Browser b = signedIn();
        f.api.firstBytesReceived = new java.util.concurrent.CountDownLatch(1);
        java.io.PipedOutputStream client = new java.io.PipedOutputStream();
        java.io.PipedInputStream body = new java.io.PipedInputStream(client, 1 << 20);
        var pending = java.net.http.HttpClient.newHttpClient().sendAsync(
                java.net.http.HttpRequest.newBuilder(URI.create(f.publicUrl + "/api/notes/upload"))
                        .header("Cookie", "__Host-lk-session=" + b.session()).header("X-CSRF", "1")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        client.write(new byte[100_000]);
        client.flush();
        assertThat(f.api.firstBytesReceived.await(10, java.util.concurrent.TimeUnit.SECONDS))
                .as("the upstream sees the body while the client is still sending").isTrue();
        client.write(new byte[100_000]);
        client.close();
        var r = pending.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("200000");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            // X-CSRF, Origin, Sec-Fetch-Site, expected
            "1, -, -, 200",
            "-, SELF, -, 200",
            "-, -, same-origin, 200",
            "-, -, -, 403",
            "-, http://evil.test, -, 403",
            "1, http://evil.test, -, 403",
            "-, null, -, 403",
            // Origin: null is what a page under Referrer-Policy: no-referrer sends with a form post; the browser's own
            // Sec-Fetch-Site then tells whether the page was this origin (an opaque origin is never same-origin)
            "-, null, same-origin, 200",
            "-, null, cross-site, 403",
            "-, null, same-site, 403",
            "-, null, none, 403",
            "-, -, cross-site, 403",
            "1, -, cross-site, 403",
            "-, -, same-site, 403",
            "0, -, -, 403"})
    void stateChangingRequestsNeedTheCsrfHeaderOrTheSameOrigin(String xcsrf, String origin, String site, int expected) {
        GatewayFixture.Browser b = signedIn();
        java.util.List<String> h = new java.util.ArrayList<>();
        if (xcsrf != null) {
            h.addAll(java.util.List.of("X-CSRF", xcsrf));
        }
        if (origin != null) {
            h.addAll(java.util.List.of("Origin", origin.equals("SELF") ? f.publicUrl : origin));
        }
        if (site != null) {
            h.addAll(java.util.List.of("Sec-Fetch-Site", site));
        }
        String[] headers = h.toArray(String[]::new);
        int before = f.api.calls.get();
        Http.Response r = b.gw.postJson("/api/notes", "{}", headers);
        assertThat(r.status()).isEqualTo(expected);
        if (expected == 403) {
            assertThat(r.json().get("code").asText()).isEqualTo("csrf_failed");
            assertThat(f.api.calls.get()).isEqualTo(before);
            assertThat(b.gw.send(java.net.http.HttpRequest.newBuilder(URI.create(f.publicUrl + "/api/notes/1"))
                    .DELETE().headers(withCookie(b, headers))).status()).isEqualTo(403);
            Http.Response logout = b.gw.post("/auth/logout", null, null, headers);
            assertThat(logout.status()).isEqualTo(403);
            assertThat(b.gw.get("/auth/me").status()).as("logout refused: session intact").isEqualTo(200);
        }
    }

    private static String[] withCookie(GatewayFixture.Browser b, String[] headers) {
        String[] out = java.util.Arrays.copyOf(headers, headers.length + 2);
        out[headers.length] = "Cookie";
        out[headers.length + 1] = "__Host-lk-session=" + b.session();
        return out;
    }

    @Test
    void theFrontendGetsAVerifiableAssertionAndNoTokensNorGatewayCookies() {
        GatewayFixture.Browser b = signedIn();
        b.gw.cookies.put("theme", "light");
        b.gw.cookies.put("__Host-lk_session", "the-servers-sso-cookie");      // the server on this host, another port
        b.gw.cookies.put("__Secure-lk_refresh", "the-servers-refresh-cookie");
        Http.Response page = b.gw.get("/dashboard", "Latchkey-Assertion", "forged", "Authorization", "Bearer x");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Hello, Olga");
        assertThat(f.frontend.lastAuthorization).isNull();
        assertThat(f.frontend.lastCookieHeader).isEqualTo("theme=light");
        assertThat(page.headers("Set-Cookie")).anyMatch(c -> c.startsWith("theme=dark")).noneMatch(c -> c.contains("forged"));
        String assertion = f.frontend.seenAssertions.stream().reduce((a, c) -> c).orElseThrow();
        JsonNode header = decodePart(assertion, 0);
        assertThat(header.get("typ").asText()).isEqualTo("JWT");
        assertThat(header.get("alg").asText()).isEqualTo("ES256");
        assertThat(header.get("kid").asText()).isNotBlank();
        JsonNode claims = decode(assertion);
        assertThat(claims.get("iss").asText()).isEqualTo(f.publicUrl);
        assertThat(claims.get("aud").asText()).isEqualTo("latchkey-app");
        assertThat(claims.get("email").asText()).isEqualTo(email);
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(60);
        assertThat(claims.get("jti").asText()).isNotBlank();
        assertThat(claims.has("roles")).isTrue();
        // how the session was authenticated, from the server's access token (RFC 9068 §2.2.1), for step-up decisions
        assertThat(claims.get("acr").asText()).isEqualTo("urn:latchkey:acr:1fa");
        assertThat(claims.get("amr").toString()).isEqualTo("[\"pwd\"]");
        assertThat(claims.get("auth_time").asLong()).isEqualTo(b.gw.get("/auth/me").json().get("auth_time").asLong()).isPositive();
    }

    @Test
    void withoutASessionTheFrontendGetsNoAssertionAndProtectedPathsRedirectToLogin() {
        Http anon = new Http(f.publicUrl);
        Http.Response home = anon.get("/", "Latchkey-Assertion", "forged");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.body()).contains("Hello, guest");
        Http.Response dash = anon.get("/dashboard/notes?id=3");
        assertThat(dash.status()).isEqualTo(303);
        assertThat(dash.header("Location")).isEqualTo("/auth/login?returnTo=" + enc("/dashboard/notes?id=3"));
        assertThat(anon.get("/dashboardx").status()).as("a prefix is a path segment").isEqualTo(200);
    }

    @Test
    void logoutRevokesTheRefreshTokenEndsTheSessionAndAnswersTheEndSessionUrl() throws Exception {
        GatewayFixture.Browser b = signedIn();
        String refreshToken = f.nodes.get(0).sessions().find(sessionHash(b)).orElseThrow().tokens().refreshToken().orElseThrow();
        assertThat(introspect(refreshToken)).isTrue();
        Http.Response r = b.gw.post("/auth/logout", null, null, "X-CSRF", "1", "Accept", "application/json");
        assertThat(r.status()).isEqualTo(200);
        String url = r.json().get("logout_url").asText();
        assertThat(url).startsWith(f.idp.base + "/oauth2/logout?");
        Map<String, String> q = OidcFixture.query(url);
        assertThat(q).containsEntry("client_id", "gateway").containsEntry("post_logout_redirect_uri", f.publicUrl + "/");
        assertThat(q.get("id_token_hint")).startsWith("ey");
        assertThat(r.headers("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session=;") && c.contains("Max-Age=0"));
        assertThat(introspect(refreshToken)).as("refresh token revoked at the server").isFalse();
        assertThat(b.gw.get("/auth/me").status()).isEqualTo(401);
        // the end-session URL works at the server
        Http.Response end = b.server.get(url);
        assertThat(end.status()).isIn(302, 303);
        assertThat(end.header("Location")).startsWith(f.publicUrl + "/");
    }

    @Test
    void anHtmlFormLogoutIsA303ToTheEndSessionUrl() {
        GatewayFixture.Browser b = signedIn();
        Http.Response r = b.gw.post("/auth/logout", "application/x-www-form-urlencoded", "", "Origin", f.publicUrl, "Accept", "text/html");
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.header("Location")).startsWith(f.idp.base + "/oauth2/logout?");
    }

    @Test
    void unknownAuthPathsAre404AndTheJwksHasOnlyPublicKeys() {
        Http.Response r = new Http(f.publicUrl).get("/auth/nothing");
        assertThat(r.status()).isEqualTo(404);
        Http.Response jwks = new Http(f.publicUrl).get("/auth/jwks.json");
        assertThat(jwks.json().get("keys").get(0).get("kty").asText()).isEqualTo("EC");
        assertThat(jwks.json().get("keys").get(0).has("d")).isFalse();
    }

    static boolean introspect(String token) {
        Http.Response r = new Http(f.idp.base).post("/oauth2/introspect", "application/x-www-form-urlencoded", "token=" + enc(token),
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(("gateway:" + f.clientSecret).getBytes(StandardCharsets.UTF_8)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("active").asBoolean();
    }

    static byte[] sessionHash(GatewayFixture.Browser b) {
        return new dev.latchkey.gateway.session.SessionIds(f.sessionKey).hash(b.session());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static JsonNode decode(String jwt) {
        return decodePart(jwt, 1);
    }

    static JsonNode decodePart(String jwt, int i) {
        try {
            return Apps.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
