package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.pages.ReturnTo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hosted forms over HTTP: CSRF, open redirects, session fixation, headers. */
class HostedPagesTest {
    static TestServer ts;
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final String PW = "an ordinary long passphrase";

    @BeforeAll
    static void start() {
        ts = TestServer.start();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String csrf(Http.Response page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    static String signUp(Http h) {
        String email = "p" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String token = csrf(h.get("/signup"));
        Http.Response r = h.postForm("/signup", Map.of("csrf", token, "email", email, "password", PW, "return_to", "/account"));
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return email;
    }

    @Test
    void formsWithoutAValidCsrfTokenAreRefused() {
        Http h = new Http(ts.base);
        String email = signUp(h);
        Http attacker = new Http(ts.base);
        attacker.get("/login");   // has its own csrf cookie, but not the victim's token
        Http.Response forged = attacker.postForm("/login", Map.of("csrf", "forged", "email", email, "password", PW));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(attacker.cookies).doesNotContainKey("__Host-lk_session");
        Http.Response noCookie = new Http(ts.base).postForm("/login", Map.of("csrf", csrf(h.get("/login?prompt=login")), "email", email, "password", PW));
        assertThat(noCookie.status()).isEqualTo(403);
        // a valid token but a cross-site Origin is refused too
        Http victim = new Http(ts.base);
        String token = csrf(victim.get("/login"));
        Http.Response crossSite = victim.postForm("/login", Map.of("csrf", token, "email", email, "password", PW), "Origin", "https://evil.example");
        assertThat(crossSite.status()).isEqualTo(403);
        Http.Response ok = victim.postForm("/login", Map.of("csrf", token, "email", email, "password", PW), "Origin", ts.base);
        assertThat(ok.status()).isEqualTo(303);
    }

    @Test
    void signInIssuesAFreshSessionIdAndEndsTheOldOne() {
        Http h = new Http(ts.base);
        String email = signUp(h);
        String before = h.cookies.get("__Host-lk_session");
        assertThat(before).isNotNull();
        String token = csrf(h.get("/login?prompt=login"));
        Http.Response r = h.postForm("/login", Map.of("csrf", token, "email", email, "password", PW));
        assertThat(r.status()).isEqualTo(303);
        String after = h.cookies.get("__Host-lk_session");
        assertThat(after).isNotEqualTo(before);
        // a planted (or old) session id is worthless
        Http planted = new Http(ts.base);
        planted.cookies.put("__Host-lk_session", before);
        assertThat(planted.get("/account").status()).isEqualTo(302);
        Http attackerFixed = new Http(ts.base);
        attackerFixed.cookies.put("__Host-lk_session", "attacker-chosen-value");
        String t2 = csrf(attackerFixed.get("/login"));
        attackerFixed.postForm("/login", Map.of("csrf", t2, "email", email, "password", PW));
        assertThat(attackerFixed.cookies.get("__Host-lk_session")).isNotEqualTo("attacker-chosen-value");
    }

    @Test
    void returnToNeverLeavesTheSite() {
        for (String evil : new String[] {"https://evil.example/", "//evil.example", "/\\evil.example", "/%2F%2Fevil.example",
                "/%5Cevil.example", "javascript:alert(1)", "\\\\evil.example", " /account", "/acc\tount", "http:/evil"}) {
            assertThat(ReturnTo.sanitize(evil)).as(evil).isEqualTo(ReturnTo.DEFAULT);
        }
        assertThat(ReturnTo.sanitize("/oauth2/authorize?client_id=a&state=b")).isEqualTo("/oauth2/authorize?client_id=a&state=b");
        Http h = new Http(ts.base);
        String email = signUp(h);
        Http other = new Http(ts.base);
        String token = csrf(other.get("/login"));
        Map<String, String> form = new LinkedHashMap<>(Map.of("csrf", token, "email", email, "password", PW, "return_to", "//evil.example/x"));
        Http.Response r = other.postForm("/login", form);
        assertThat(r.header("Location")).isEqualTo("/account");
    }

    @Test
    void pagesCarrySecurityHeadersAndEscapeInput() {
        Http h = new Http(ts.base);
        Http.Response page = h.get("/login");
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "default-src 'none'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        String token = csrf(page);
        Http.Response r = h.postForm("/login", Map.of("csrf", token, "email", "\"><script>alert(1)</script>@x.y", "password", "x"));
        assertThat(r.body()).doesNotContain("<script>").doesNotContain("value=\"\">").contains("&lt;script");
        Http.Response dup = h.post("/login", "application/x-www-form-urlencoded", "csrf=" + token + "&email=a@b.c&email=d@e.f&password=x");
        assertThat(dup.status()).isEqualTo(400);
    }
}
