package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
 * The organization chooser of the hosted sign-in over real HTTP against a real server and PostgreSQL, driven
 * like a browser (cookies, the page's form with its CSRF token): a user in two organizations sees it and gets a
 * code and tokens for the one picked; a forged choice (another organization's id) is refused with 403 and no
 * code; twenty simultaneous submissions of the form leave one flow that issues one code.
 */
class OrgChooserPageTest {
    static final String REDIRECT = "https://rp.example.test/callback";
    static final String VERIFIER = "chooser-verifier-0123456789-0123456789-0123456789";
    static OidcFixture fx;
    static String secret;

    @BeforeAll
    static void setUp() throws Exception {
        fx = new OidcFixture(Map.of());
        JsonNode c = fx.register("""
                {"client_id":"chooser-rp","redirect_uris":["https://rp.example.test/callback"],
                 "grant_types":["authorization_code","refresh_token"],"scope":"openid profile","first_party":true}""");
        secret = c.get("client_secret").asText();
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static JsonNode admin(String method, String path, String json) {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + path)).method(method, body)
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r.body().isEmpty() ? null : r.json();
    }

    static String org(String name, String email) {
        String id = admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + " " + UUID.randomUUID().toString().substring(0, 6) + "\"}").get("id").asText();
        if (email != null) {
            admin("PUT", "/admin/v1/orgs/" + id + "/members/" + email, "{\"roles\":[]}");
        }
        return id;
    }

    static String authorizeUrl() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        return fx.base + "/oauth2/authorize?response_type=code&client_id=chooser-rp&scope=openid&state=s1&nonce=n1"
                + "&code_challenge_method=S256&code_challenge=" + challenge + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }

    /** Signs in through the hosted pages and returns the chooser page it stops at. */
    static String chooser(Http browser, String email) throws Exception {
        String page = fx.browse(browser, authorizeUrl(), email, REDIRECT);
        assertThat(page).as("the chooser is shown").startsWith("page:200:").contains("Choose an organization");
        return page;
    }

    static Map<String, String> form(String page, String org) {
        return Map.of("csrf", OidcFixture.find(page, "name=\"csrf\" value=\"([^\"]*)\""),
                "client_id", OidcFixture.find(page, "name=\"client_id\" value=\"([^\"]*)\""),
                "request_uri", OidcFixture.find(page, "name=\"request_uri\" value=\"([^\"]*)\""),
                "org", org);
    }

    /** Follows redirects from {@code r} until the relying party's redirect URI (returned) or a page ("page:..."). */
    static String follow(Http browser, Http.Response r) {
        for (int hop = 0; hop < 10; hop++) {
            if (r.status() / 100 != 3) {
                return "page:" + r.status() + ":" + r.body();
            }
            String loc = URI.create(fx.base + "/").resolve(r.header("Location")).toString();
            if (loc.startsWith(REDIRECT)) {
                return loc;
            }
            r = browser.get(loc);
        }
        throw new AssertionError("too many hops");
    }

    /** A copy of {@code browser} (its cookies) for one of several simultaneous requests (Http's cookie map is not shared safely). */
    static Http tab(Http browser) {
        Http h = new Http(fx.base);
        h.cookies.putAll(browser.cookies);
        return h;
    }

    static String orgOfCode(String code) throws Exception {
        Http.Response t = new Http(fx.base).postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER), "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("chooser-rp:" + secret).getBytes(StandardCharsets.UTF_8)));
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        return SignedJWT.parse(t.json().get("access_token").asText()).getJWTClaimsSet().getStringClaim("org");
    }

    @Test
    void aUserInTwoOrganizationsPicksTheSecondAndGetsATokenForIt() throws Exception {
        String email = fx.newUser();
        String a = org("Alpha", email);
        String b = org("Beta", email);
        Http browser = new Http(fx.base);
        String page = chooser(browser, email);
        assertThat(page).contains("value=\"" + a + "\"").contains("value=\"" + b + "\"");
        assertThat(page.indexOf(a)).as("oldest membership first").isLessThan(page.indexOf(b));

        Http.Response chosen = browser.postForm("/oauth2/organization", form(page, b));
        assertThat(chosen.status()).as(chosen.body()).isEqualTo(303);
        String back = follow(browser, chosen);
        assertThat(back).startsWith(REDIRECT);
        Map<String, String> q = OidcFixture.query(back);
        assertThat(q.get("state")).isEqualTo("s1");
        assertThat(orgOfCode(q.get("code"))).isEqualTo(b);
    }

    @Test
    void aForgedChoiceIsRefusedAndIssuesNoCode() throws Exception {
        String email = fx.newUser();
        String a = org("Alpha", email);
        org("Beta", email);
        String foreign = org("Foreign", fx.newUser());
        Http browser = new Http(fx.base);
        String page = chooser(browser, email);

        for (String forged : List.of(foreign, UUID.randomUUID().toString(), "not-an-id", "")) {
            Http.Response r = browser.postForm("/oauth2/organization", form(page, forged));
            assertThat(r.status()).as(forged + ": " + r.body()).isEqualTo(403);
            assertThat(r.header("Location")).isNull();
            assertThat(r.body()).contains("not a member").doesNotContain("code=");
        }
        Map<String, String> noCsrf = new java.util.HashMap<>(form(page, a));
        noCsrf.put("csrf", "forged");
        assertThat(browser.postForm("/oauth2/organization", noCsrf).status()).as("without the page's CSRF token").isEqualTo(403);
        assertThat(new Http(fx.base).postForm("/oauth2/organization", form(page, a)).status())
                .as("another browser (no session, no CSRF cookie)").isEqualTo(403);

        Map<String, String> f = form(page, a);
        String again = follow(browser, browser.get("/oauth2/authorize?client_id=chooser-rp&request_uri="
                + URLEncoder.encode(f.get("request_uri"), StandardCharsets.UTF_8)));
        assertThat(again).as("the refused choices chose nothing: the chooser again").startsWith("page:200:").contains("Choose an organization");
        String back = follow(browser, browser.postForm("/oauth2/organization", f));
        assertThat(orgOfCode(OidcFixture.query(back).get("code"))).as("a real choice still works").isEqualTo(a);
    }

    @Test
    void twentySimultaneousChoicesLeaveOneFlowAndOneCode() throws Exception {
        String email = fx.newUser();
        String a = org("Alpha", email);
        String b = org("Beta", email);
        Http browser = new Http(fx.base);
        String page = chooser(browser, email);

        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Http.Response>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Map<String, String> f = form(page, i % 2 == 0 ? a : b);
                Http tab = tab(browser);
                posts.add(pool.submit(() -> {
                    go.await();
                    return tab.postForm("/oauth2/organization", f);
                }));
            }
            go.countDown();
            List<String> continuations = new ArrayList<>();
            for (Future<Http.Response> p : posts) {
                Http.Response r = p.get();
                assertThat(r.status()).as(r.body()).isEqualTo(303);
                continuations.add(r.header("Location"));
            }
            assertThat(continuations).as("all continue the same request").containsOnly(continuations.get(0));

            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> follows = new ArrayList<>();
            for (String loc : continuations) {
                Http tab = tab(browser);
                follows.add(pool.submit((Callable<String>) () -> {
                    start.await();
                    return follow(tab, tab.get(loc));
                }));
            }
            start.countDown();
            List<String> codes = new ArrayList<>();
            for (Future<String> f : follows) {
                String back = f.get();
                if (back.startsWith(REDIRECT) && OidcFixture.query(back).containsKey("code")) {
                    codes.add(OidcFixture.query(back).get("code"));
                } else {
                    assertThat(back).as("the others find the request used up, and get no code").doesNotContain("code=");
                }
            }
            assertThat(codes).as("one code for one interaction").hasSize(1);
            assertThat(orgOfCode(codes.get(0))).as("an organization that was chosen").isIn(a, b);
        } finally {
            pool.shutdownNow();
        }
    }
}
