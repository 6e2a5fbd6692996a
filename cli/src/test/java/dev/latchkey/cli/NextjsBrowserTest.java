package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.gateway.session.SessionTokens;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.TestBrowser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Next.js example with {@code @latchkey/next}, in real Chromium, behind the real gateway, against the real
 * server and the notes API on PostgreSQL RLS, with Next.js in production mode ({@code next build} + {@code next
 * start}): what a person does, and what must never happen (a token in the browser, a flash of signed-out HTML,
 * a forged assertion believed, a sign-in that returns to another site).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)      // a hung browser call fails the test instead of the build
class NextjsBrowserTest {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.");
    static TestBrowser browser;
    static NextjsStack stack;
    static String gw;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void start() throws Exception {
        browser = TestBrowser.launch();
        stack = new NextjsStack();
        gw = stack.publicUrl;
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void open() {
        context = browser.browser.newContext();
        context.setDefaultTimeout(30_000);
        page = context.newPage();
    }

    @AfterEach
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void closeContext() {
        stack.clock.reset();
        context.close();
    }

    /** Fills the server's hosted sign-in form if the page is on it (the server's own session may skip it). */
    void signInIfAsked(String email) {
        page.waitForURL(u -> u.startsWith(stack.idp.base + "/login") || u.startsWith(gw + "/"));
        if (page.url().startsWith(stack.idp.base + "/login")) {
            page.fill("#email", email);
            page.fill("#password", OidcFixture.PASSWORD);
            page.click("button[type=submit]");
        }
    }

    /** Signs in through the example's dashboard; the page ends on the dashboard with its notes loaded. */
    void signIn(String email) {
        page.navigate(gw + "/dashboard");
        signInIfAsked(email);
        page.waitForURL(gw + "/dashboard");
        page.locator("#notes").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
    }

    String sessionCookie() {
        return context.cookies(gw).stream().filter(c -> c.name.equals("__Host-lk-session")).map(c -> c.value).findFirst().orElseThrow();
    }

    /** A genuine assertion for the browser's session, as the gateway signs it (forward-auth answers carry one). */
    String realAssertion() {
        Http h = new Http(gw);
        h.cookies.put("__Host-lk-session", sessionCookie());
        Http.Response r = h.get("/auth/verify");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.header("Latchkey-Assertion");
    }

    private static final java.net.http.HttpClient HTTP_1_1 = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();

    /** A request straight to the Next.js server, bypassing the gateway (HTTP/1.1: Next.js ignores h2c upgrades). */
    static java.net.http.HttpResponse<String> straightToNext(String path, String assertion) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.next.url() + path))
                .timeout(Duration.ofSeconds(30));
        if (assertion != null) {
            b.header("Latchkey-Assertion", assertion);
        }
        return HTTP_1_1.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutASessionTheProxySendsTheBrowserThroughTheGatewaySignInAndBackToThePageAskedFor() {
        String email = stack.newUser();
        List<Response> seen = new CopyOnWriteArrayList<>();
        page.onResponse(seen::add);
        page.navigate(gw + "/dashboard?tab=notes");
        assertThat(page.url()).startsWith(stack.idp.base + "/login");
        Response first = seen.stream().filter(r -> r.url().equals(gw + "/dashboard?tab=notes")).findFirst().orElseThrow();
        assertThat(first.status()).isEqualTo(303);
        // absolute: the Next.js proxy's answer (the gateway here protects no path of its own)
        assertThat(first.headerValue("location")).isEqualTo(gw + "/auth/login?returnTo=%2Fdashboard%3Ftab%3Dnotes");
        assertThat(seen).anyMatch(r -> r.url().startsWith(gw + "/auth/login?returnTo="));

        signInIfAsked(email);
        page.waitForURL(gw + "/dashboard?tab=notes");
        assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello, Olga");
        Cookie c = context.cookies(gw).stream().filter(k -> k.name.equals("__Host-lk-session")).findFirst().orElseThrow();
        assertThat(c.httpOnly).isTrue();
        assertThat(c.secure).isTrue();

        // the landing page is public: it renders for signed-out visitors without a redirect
        BrowserContext anonymous = browser.browser.newContext();
        Response landing = anonymous.newPage().navigate(gw + "/");
        assertThat(landing.status()).isEqualTo(200);
        assertThat(landing.text()).contains("You are signed out");
        anonymous.close();
    }

    @Test
    void theFirstHtmlAlreadyNamesTheUserAndNoRequestForTheUserIsMade() {
        String email = stack.newUser();
        signIn(email);
        List<String> requests = new CopyOnWriteArrayList<>();
        page.onRequest(r -> requests.add(r.url()));
        Response html = page.navigate(gw + "/dashboard");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.text()).contains("<h1 id=\"greeting\">Hello, Olga</h1>").doesNotContain("signed out");
        assertThat(html.headerValue("cache-control")).contains("no-store");              // a page for one user only
        assertThat(html.headerValue("x-frame-options")).isEqualTo("DENY");
        page.locator("#notes").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertThat(requests.get(0)).isEqualTo(gw + "/dashboard");
        assertThat(requests).noneMatch(u -> u.contains("/auth/me") || u.contains("/session") || u.contains("/.well-known"));

        // the same page without JavaScript at all: the user is in the HTML, not put there by a script
        Browser.NewContextOptions noScript = new Browser.NewContextOptions().setJavaScriptEnabled(false).setStorageState(context.storageState());
        BrowserContext plain = browser.browser.newContext(noScript);
        Page p = plain.newPage();
        p.navigate(gw + "/dashboard");
        assertThat(p.locator("#greeting").textContent()).isEqualTo("Hello, Olga");
        assertThat(p.locator("#signed-in-as").textContent()).isEqualTo("Olga");
        plain.close();
    }

    @Test
    void noTokenReachesThePageItsStorageOrAnyResponse() {
        String email = stack.newUser();
        record Seen(String url, String headers, String body) {
        }
        // only collected here; their bodies are read at the end (reading inside the event could deadlock a closing page)
        List<Request> finished = new CopyOnWriteArrayList<>();
        page.onRequestFinished(finished::add);
        signIn(email);
        page.fill("#note-title", "Milk");
        page.fill("#note-body", "two litres");
        page.click("#note-create");
        page.locator("#notes li", new Page.LocatorOptions().setHasText("Milk")).waitFor();

        SessionTokens tokens = stack.session(sessionCookie()).orElseThrow().tokens();
        List<String> secrets = new ArrayList<>(List.of(tokens.accessToken(), tokens.idToken()));
        tokens.refreshToken().ifPresent(secrets::add);
        String assertion = realAssertion();
        secrets.add(assertion.substring(assertion.indexOf('.') + 1));  // its payload, whichever jti

        @SuppressWarnings("unchecked")
        Map<String, String> browserState = (Map<String, String>) page.evaluate("""
                () => ({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) })""");
        assertThat(browserState.get("cookie")).doesNotContain("lk-session").doesNotContainPattern(JWT);
        assertThat(browserState.get("local")).isEqualTo("{}");
        assertThat(browserState.get("session")).isEqualTo("{}");

        List<Seen> responses = new ArrayList<>();
        for (Request request : finished) {                              // finished: each body is complete
            Response r = request.response();
            if (r == null) {
                continue;
            }
            String body;
            try {
                body = r.status() / 100 == 3 ? "" : r.text();
            } catch (RuntimeException e) {
                body = "";                                              // no body (a redirect, a replaced navigation)
            }
            responses.add(new Seen(r.url(), r.allHeaders().toString(), body));
        }
        assertThat(responses).hasSizeGreaterThan(5);
        assertThat(responses).anyMatch(r -> r.url().equals(gw + "/dashboard") && r.body().contains("Hello, Olga"));
        assertThat(responses).anyMatch(r -> r.url().equals(gw + "/api/notes") && r.body().contains("two litres"));
        for (Seen r : responses) {
            for (String where : List.of(r.headers(), r.body())) {
                assertThat(where).as(r.url()).doesNotContainPattern(JWT);
                for (String secret : secrets) {
                    assertThat(where).as(r.url()).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void aReturnToOutsideTheSiteLandsOnTheDefaultPage() {
        String email = stack.newUser();
        for (String bad : List.of("//evil.example/steal", "https://evil.example/", "/\\evil.example", "/%2F%2Fevil.example")) {
            page.navigate(gw + "/auth/login?returnTo=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
            signInIfAsked(email);
            page.waitForURL(u -> u.startsWith(gw + "/") && !u.startsWith(gw + "/auth/"));
            assertThat(page.url()).as(bad).isEqualTo(gw + "/dashboard");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello, Olga");
            // the dashboard settles (Next.js may still be fetching) before the next navigation, which it would abort
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        }
    }

    @Test
    void aForgedOrMissingAssertionSentStraightToNextjsIsRefusedByGetUser() throws Exception {
        String email = stack.newUser();
        signIn(email);
        String genuine = realAssertion();
        var none = straightToNext("/session", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(Http.JSON.readTree(none.body()).get("user").isNull()).isTrue();

        var ok = straightToNext("/session", genuine);                  // the control: a real one passes
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(Http.JSON.readTree(ok.body()).at("/user/name").asText()).isEqualTo("Olga");
        assertThat(Http.JSON.readTree(ok.body()).at("/user/email").asText()).isEqualTo(email);

        JWTClaimsSet claims = SignedJWT.parse(genuine).getJWTClaimsSet();
        String kid = JWKSet.parse(new Http(gw).get("/auth/jwks.json").body()).getKeys().get(0).getKeyID();
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
        forged.sign(new ECDSASigner(other));
        String[] parts = genuine.split("\\.");
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String admin = Base64.getUrlEncoder().withoutPadding().encodeToString(new JWTClaimsSet.Builder(claims)
                .claim("roles", List.of("admin")).build().toString().getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of(forged.serialize(), b64 + "." + parts[1] + ".", parts[0] + "." + admin + "." + parts[2],
                genuine + ", " + genuine, "garbage")) {
            assertThat(straightToNext("/session", bad).statusCode()).as(bad).isEqualTo(401);
            var dashboard = straightToNext("/dashboard", bad);
            assertThat(dashboard.statusCode()).as(bad).isEqualTo(303);
            assertThat(dashboard.headers().firstValue("Location")).contains(gw + "/auth/login?returnTo=%2Fdashboard");
            assertThat(dashboard.body()).doesNotContain("Olga");
        }
        // and through the gateway a browser cannot send one: it removes the browser's Latchkey-Assertion
        BrowserContext anonymous = browser.browser.newContext(new Browser.NewContextOptions()
                .setExtraHTTPHeaders(Map.of("Latchkey-Assertion", genuine)));
        Response r = anonymous.newPage().navigate(gw + "/");
        assertThat(r.text()).contains("You are signed out");
        anonymous.close();
    }

    @Test
    void aPageThatNeedsTheAdminRoleIs403WithoutItAndRendersWithIt() {
        String member = stack.newUser();
        signIn(member);
        Response forbidden = page.navigate(gw + "/admin");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(page.locator("#forbidden").textContent()).isEqualTo("Not for you");
        context.clearCookies();

        String adminEmail = stack.newUser();
        String org = stack.newOrgWith(adminEmail, "admin");
        page.navigate(gw + "/admin");
        signInIfAsked(adminEmail);
        page.waitForURL(gw + "/admin");
        assertThat(page.locator("#admin").textContent()).isEqualTo("Administration");
        assertThat(page.locator("#admin-org").textContent()).isEqualTo(org);
        Response again = page.navigate(gw + "/admin");
        assertThat(again.status()).isEqualTo(200);
    }

    @Test
    void aMemberOfTwoOrganizationsChoosesOneAtSignInAndSwitchesOnTheDashboard() {
        String email = stack.newUser();
        String first = stack.newOrgWith(email, "admin");
        String second = stack.newOrgWith(email);
        page.navigate(gw + "/dashboard");
        signInIfAsked(email);
        // the server's chooser, then back to the dashboard for the organization chosen
        page.waitForURL(u -> u.startsWith(stack.idp.base + "/oauth2/organization"));
        page.click("button[name=org][value='" + first + "']");
        page.waitForURL(gw + "/dashboard");
        assertThat(page.locator("#identity").textContent()).contains(first).contains("roles admin").doesNotContain(second);
        page.locator("#org-select").waitFor();
        assertThat(page.locator("#org-select option").count()).isEqualTo(1);
        assertThat(page.locator("#org-select option").getAttribute("value")).isEqualTo(second);

        page.click("#org-switch-button");
        page.waitForURL(gw + "/dashboard");
        page.locator("#org-select option[value='" + first + "']").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        assertThat(page.locator("#identity").textContent()).contains(second).doesNotContain(first).doesNotContain("roles admin");
        // the first HTML after the switch already names the new organization (server-side, from the gateway's assertion)
        Response again = page.navigate(gw + "/dashboard");
        assertThat(again.text()).contains(second).doesNotContain("roles admin");
        assertThat(page.content()).doesNotContainPattern(JWT);
    }

    @Test
    void whenTheAccessTokenExpiresWhileThePageIsOpenTheNextCallsSucceedWithOneRefresh() throws Exception {
        String email = stack.newUser();
        signIn(email);
        page.fill("#note-title", "Before");
        page.click("#note-create");
        page.locator("#notes li", new Page.LocatorOptions().setHasText("Before")).waitFor();
        long before = stack.refreshGenerations(email);

        stack.clock.advance(Duration.ofMinutes(6));                     // past the 5-minute access token, for the gateway
        page.fill("#note-title", "After");
        page.click("#note-create");
        page.locator("#notes li", new Page.LocatorOptions().setHasText("After")).waitFor();
        Object statuses = page.evaluate("""
                () => Promise.all([1, 2, 3, 4].map(() => fetch('/api/notes', { headers: { 'X-CSRF': '1' } }).then((r) => r.status)))""");
        assertThat(statuses).isEqualTo(List.of(200, 200, 200, 200));
        assertThat(page.locator("#status").textContent()).isEqualTo("Saved.");
        assertThat(page.url()).isEqualTo(gw + "/dashboard");
        assertThat(stack.refreshGenerations(email)).isEqualTo(before + 1);
    }

    @Test
    void aRevokedSessionTurnsTheNextCallIntoASignInRedirect() throws Exception {
        String email = stack.newUser();
        signIn(email);
        String cookie = sessionCookie();
        String refreshToken = stack.session(cookie).orElseThrow().tokens().refreshToken().orElseThrow();
        Http.Response revoked = new Http(stack.idp.base).post("/oauth2/revoke", "application/x-www-form-urlencoded",
                "token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8), "Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((NextjsStack.CLIENT_ID + ":" + stack.clientSecret).getBytes(StandardCharsets.UTF_8)));
        assertThat(revoked.status()).isEqualTo(200);
        stack.clock.advance(Duration.ofMinutes(6));                     // the gateway must refresh, and is refused

        // the sign-in the call sends the browser to runs on the gateway's own time again
        String loginRoutes = gw + "/auth/login**";
        page.route(loginRoutes, route -> {
            stack.clock.reset();
            route.resume();
        });
        page.fill("#note-title", "Never saved");
        Request login = page.waitForRequest(r -> r.url().startsWith(gw + "/auth/login") && r.isNavigationRequest(), () -> page.click("#note-create"));
        assertThat(login.url()).isEqualTo(gw + "/auth/login?returnTo=%2Fdashboard");
        // the hosted sign-in, or (the server's own session still being there) straight back with a new gateway session
        page.waitForCondition(() -> page.url().startsWith(stack.idp.base + "/login") || page.url().equals(gw + "/dashboard")
                && context.cookies(gw).stream().anyMatch(c -> c.name.equals("__Host-lk-session") && !c.value.equals(cookie)));
        assertThat(stack.session(cookie)).isEmpty();
        assertThat(context.cookies(gw).stream().map(c -> c.value)).doesNotContain(cookie);
        page.unroute(loginRoutes);
    }

    @Test
    void theNextjsServerCallsTheNotesApiWithTheTokenTheGatewayRelaysToIt() throws Exception {
        String email = stack.newUser();
        signIn(email);
        for (String title : List.of("One", "Two")) {
            page.fill("#note-title", title);
            page.click("#note-create");
            page.locator("#notes li", new Page.LocatorOptions().setHasText(title)).waitFor();
        }
        page.locator("#summary", new Page.LocatorOptions().setHasText("2 notes")).waitFor();
        assertThat(page.locator("#summary").textContent()).isEqualTo("2 notes, counted by the Next.js server");
        // straight to Next.js, without the gateway: no token to relay, or one the notes API refuses
        assertThat(straightToNext("/api/bff/notes-summary", null).statusCode()).isEqualTo(401);
        var forged = HTTP_1_1.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.next.url() + "/api/bff/notes-summary"))
                .header("Authorization", "Bearer " + realAssertion()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(401);                // an assertion is no access token
    }

    @Test
    void signingOutEndsTheSessionAndTheLandingPageSaysSo() {
        String email = stack.newUser();
        signIn(email);
        String cookie = sessionCookie();
        page.click("#sign-out");
        page.waitForURL(u -> u.equals(gw + "/") || u.startsWith(gw + "/?"));
        assertThat(page.locator("#landing").textContent()).contains("You are signed out");
        assertThat(context.cookies(gw).stream().map(c -> c.name)).doesNotContain("__Host-lk-session");
        assertThat(stack.session(cookie)).isEmpty();
    }
}
