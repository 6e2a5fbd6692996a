package dev.latchkey.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Open-redirect attacks over real HTTP (RFC 9700 §4.1 and §4.11, RFC 6749 §4.1.2.1): a
 * {@code redirect_uri} or {@code post_logout_redirect_uri} that is not exactly a registered one
 * gets an error page and never a redirect; the hosted pages' {@code return_to} only ever leads to
 * a path on this server.
 */
class RedirectAbuseTest {
    static final String CB = "https://app.example.test/cb";
    static final Pattern RETURN_TO = Pattern.compile("name=\"return_to\" value=\"([^\"]*)\"");
    static OidcFixture fx;

    /** Near misses of {@link #CB}: each differs in a way some matcher somewhere has got wrong. */
    static final String[] NEAR_MISSES = {
        "https://app.example.test/c",                    // prefix
        "https://app.example.test/cb/",                  // suffix
        "https://app.example.test/cbx",
        "https://app.example.test/cb/../evil",
        "https://app.example.test/cb/%2e%2e/evil",
        "https://app.example.test/cb?x=1",
        "https://app.example.test/cb#frag",              // fragment (RFC 6749 §3.1.2 forbids one)
        "https://app.example.test:8443/cb",              // another port
        "https://app.example.test:443/cb",
        "http://app.example.test/cb",                    // http instead of https
        "HTTPS://APP.EXAMPLE.TEST/cb",
        "https://app.example.test./cb",
        "https://app.example.test.evil.example/cb",     // suffix of the host
        "https://evil.example/app.example.test/cb",
        "https://evil.example@app.example.test/cb",      // userinfo@host
        "https://app.example.test@evil.example/cb",
        "https://app.example.test%40evil.example/cb",
        "https://app.example.test\\@evil.example/cb",
        "https://app.example.test/%63b",                 // encoded characters
        "https://app.example.test%2Fcb",
        "https://app.example.test/cb%00",
        "https://app.example.test/cb%0d%0aLocation:%20https://evil.example",
        " https://app.example.test/cb",
        "https://app.example.test/cb ",
        "//app.example.test/cb",
        "https:app.example.test/cb",
        "javascript:alert(1)//https://app.example.test/cb",
        "data:text/html,<script>alert(1)</script>",
        "https://evil.example/cb",
    };

    /** return_to values that must never lead off this server. */
    static final String[] OFF_SITE = {
        "//evil.example", "/\\evil.example", "\\\\evil.example", "https:evil.example", "https://evil.example/", "http:/evil.example",
        "/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/%5c%5cevil.example", "%2F%2Fevil.example",
        "/%09/evil.example", "/\t/evil.example", "/\r\n/evil.example", " //evil.example", "javascript:alert(1)", "evil.example",
        "//%09/evil.example", "/\\/evil.example", "///evil.example", "/%2F%5Cevil.example", "\u3002//evil.example",
        "/.//evil.example", "/%2e//evil.example", "/account/..//evil.example", "/a/%2E%2E//evil.example", "/account/%5C/evil.example",
    };

    @BeforeAll
    static void setUp() {
        fx = new OidcFixture(Map.of("LATCHKEY_RATELIMIT_LOGIN_PER_ACCOUNT", "200/1m", "LATCHKEY_RATELIMIT_LOGIN_PER_IP", "200/1m"));
        fx.register("""
                {"client_id":"app","redirect_uris":["https://app.example.test/cb"],"first_party":true,
                 "post_logout_redirect_uris":["https://app.example.test/bye"],
                 "grant_types":["authorization_code"],"scope":"openid"}""");
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String authorize(String redirect) {
        return "/oauth2/authorize?response_type=code&client_id=app&scope=openid&state=st&redirect_uri=" + enc(redirect)
                + "&code_challenge=" + OidcFixture.challenge(OidcFixture.verifier()) + "&code_challenge_method=S256";
    }

    /** Where a Location header leads, resolved as a browser would against the server. */
    static URI resolved(String location) {
        return URI.create(fx.base + "/").resolve(location.replace("\\", "/"));
    }

    static void staysOnSite(String what, String location) {
        assertThat(location).as(what).isNotNull();
        URI u = resolved(location);
        assertThat(u.getScheme() + "://" + u.getRawAuthority()).as(what + " → " + location).isEqualTo(fx.base);
        assertThat(location).as(what).startsWith("/").doesNotStartWith("//");
    }

    @Test
    void aNearMissRedirectUriGetsAnErrorPageNotARedirect() {
        assertThat(new Http(fx.base).get(authorize(CB)).status()).as("control: the registered URI").isEqualTo(302);
        for (String bad : NEAR_MISSES) {
            for (Http h : new Http[] {new Http(fx.base)}) {
                Http.Response r = h.get(authorize(bad));
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.header("Location")).as(bad).isNull();
                assertThat(r.header("Content-Type")).as(bad).startsWith("text/html");
                assertThat(r.body()).as(bad).contains("redirect_uri");
                assertThat(r.body()).as(bad).doesNotContain("href=\"" + bad);
            }
        }
        // the same through POST (RFC 6749 §3.1 allows it)
        Http.Response post = new Http(fx.base).post("/oauth2/authorize", "application/x-www-form-urlencoded",
                authorize("https://evil.example/cb").substring("/oauth2/authorize?".length()));
        assertThat(post.status()).isEqualTo(400);
        assertThat(post.header("Location")).isNull();
    }

    @Test
    void aNearMissPostLogoutRedirectUriIsNeverFollowed() {
        for (String bad : new String[] {"https://evil.example/", "https://app.example.test/bye/", "https://app.example.test/by",
            "http://app.example.test/bye", "https://app.example.test/bye#x", "https://evil.example@app.example.test/bye",
            "https://app.example.test:444/bye", "//app.example.test/bye"}) {
            Http.Response r = new Http(fx.base).get("/oauth2/logout?client_id=app&post_logout_redirect_uri=" + enc(bad));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.header("Location")).as(bad).isNull();
        }
    }

    @Test
    void returnToOnTheHostedPagesNeverLeavesTheSite() {
        String email = fx.newUser();
        for (String evil : OFF_SITE) {
            // the sign-in page carries only a safe return path…
            Http browser = new Http(fx.base);
            Http.Response page = browser.get("/login?return_to=" + enc(evil));
            assertThat(page.status()).as(evil).isEqualTo(200);
            Matcher m = RETURN_TO.matcher(page.body());
            assertThat(m.find()).as(evil).isTrue();
            assertThat(m.group(1)).as(evil).isEqualTo("/account");
            // …and a posted one is ignored too
            String csrf = OidcFixture.find(page.body(), "name=\"csrf\" value=\"([^\"]+)\"");
            Http.Response in = browser.postForm("/login", Map.of("csrf", csrf, "email", email, "password", OidcFixture.PASSWORD,
                    "return_to", evil), "Origin", fx.base);
            assertThat(in.status()).as(evil).isEqualTo(303);
            staysOnSite(evil, in.header("Location"));
            assertThat(in.header("Location")).as(evil).isEqualTo("/account");
            // signed in, /login redirects at once: still on site
            Http.Response again = browser.get("/login?return_to=" + enc(evil));
            assertThat(again.status()).as(evil).isEqualTo(302);
            assertThat(again.header("Location")).as(evil).isEqualTo("/account");
            for (String p : new String[] {"/signup", "/login/email", "/forgot-password"}) {
                Http.Response other = new Http(fx.base).get(p + "?return_to=" + enc(evil));
                Matcher o = RETURN_TO.matcher(other.body());
                if (o.find()) {
                    assertThat(o.group(1)).as(p + " " + evil).isEqualTo("/account");
                }
            }
        }
        // control: a path on this server is kept
        Http browser = new Http(fx.base);
        Http.Response page = browser.get("/login?return_to=" + enc("/account?x=1"));
        String csrf = OidcFixture.find(page.body(), "name=\"csrf\" value=\"([^\"]+)\"");
        Http.Response in = browser.postForm("/login", Map.of("csrf", csrf, "email", email, "password", OidcFixture.PASSWORD,
                "return_to", "/account?x=1"), "Origin", fx.base);
        assertThat(in.header("Location")).isEqualTo("/account?x=1");
    }
}
