package dev.latchkey.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.mail.Mailbox;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-site request forgery over real HTTP: the first-party cookie calls refuse whatever the
 * browser marks as cross-origin (Fetch Metadata {@code Sec-Fetch-Site}, {@code Origin}) even
 * with {@code X-CSRF}, and every hosted form refuses a post without its CSRF token or from
 * another origin — and neither changes anything.
 */
class CrossSiteAbuseTest {
    static final String PASSWORD = "a perfectly fine passphrase";
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static Mailbox smtp;
    static TestServer ts;

    @BeforeAll
    static void start() {
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_RATELIMIT_ACCOUNT_PER_IP", "1000/1m");
        ts = TestServer.start(env);
    }

    @AfterAll
    static void stop() {
        ts.close();
        smtp.close();
    }

    static String newEmail() {
        return "xs-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    /** A browser signed in through the first-party API: it holds the refresh cookie. */
    static Http apiBrowser() {
        Http h = new Http(ts.base);
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + newEmail() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return h;
    }

    /** Header sets a cross-site page (or a sibling subdomain) can make a browser send. */
    static final String[][] CROSS_SITE = {
        {"Origin", "https://evil.example", "X-CSRF", "1"},
        {"Origin", "null", "X-CSRF", "1"},
        {"Origin", "http://localhost:1", "X-CSRF", "1"},
        {"Sec-Fetch-Site", "cross-site", "X-CSRF", "1"},
        {"Sec-Fetch-Site", "same-site", "X-CSRF", "1"},
        {"Sec-Fetch-Site", "cross-site"},
        {"Origin", "https://evil.example"},
        {},
        {"X-CSRF", ""},
    };

    @Test
    void cookieCallsRefuseCrossSiteRequestsEvenWithXCsrf() {
        Http h = apiBrowser();
        String cookieBefore = h.cookies.toString();
        for (String path : new String[] {"/api/auth/refresh", "/api/auth/logout"}) {
            for (String[] headers : CROSS_SITE) {
                Http.Response r = h.post(path, null, null, headers);
                String what = path + " " + String.join(" ", headers);
                assertThat(r.status()).as(what).isEqualTo(403);
                assertThat(r.header("Content-Type")).as(what).startsWith("application/problem+json");
                assertThat(r.code()).as(what).isEqualTo("csrf_failed");
                assertThat(r.headers("Set-Cookie")).as(what + ": the cookie is left alone").isEmpty();
            }
        }
        assertThat(h.cookies.toString()).isEqualTo(cookieBefore);
        // the session survived all of it, and same-origin calls work: each kind of proof alone
        for (String[] headers : new String[][] {
            {"X-CSRF", "1"},
            {"Origin", ts.base},
            {"Sec-Fetch-Site", "same-origin"},
            {"Origin", ts.base, "Sec-Fetch-Site", "same-origin", "X-CSRF", "1"},
            {"X-CSRF", "1", "Sec-Fetch-Site", "none"},
        }) {
            Http.Response r = h.post("/api/auth/refresh", null, null, headers);
            assertThat(r.status()).as(String.join(" ", headers) + ": " + r.body()).isEqualTo(200);
        }
        assertThat(h.post("/api/auth/logout", null, null, "Origin", ts.base).status()).isEqualTo(204);
        assertThat(h.post("/api/auth/refresh", null, null, "X-CSRF", "1").status()).isEqualTo(401);
    }

    @Test
    void theMailedCodeIsRefusedCrossSite() {
        String email = newEmail();
        Http h = new Http(ts.base);
        h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        Http b = new Http(ts.base);
        assertThat(b.postJson("/api/auth/magic-link", "{\"email\":\"" + email + "\"}").status()).isEqualTo(202);
        String code = smtp.await(email, "sign-in link").code();
        Http.Response cross = b.postJson("/api/auth/magic-link/verify", "{\"code\":\"" + code + "\"}", "Origin", "https://evil.example",
                "X-CSRF", "1");
        assertThat(cross.status()).isEqualTo(403);
        assertThat(cross.code()).isEqualTo("csrf_failed");
        Http.Response ok = b.postJson("/api/auth/magic-link/verify", "{\"code\":\"" + code + "\"}", "X-CSRF", "1");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    /** A browser signed in on the hosted pages, with the CSRF token of its /account page. */
    record Hosted(Http http, String email, String csrf) {
        static Hosted signIn() {
            String email = newEmail();
            Http h = new Http(ts.base);
            Http.Response form = h.get("/signup");
            Http.Response r = h.postForm("/signup", Map.of("csrf", token(form), "email", email, "password", PASSWORD, "name", "Olga",
                    "return_to", "/account"), "Origin", ts.base);
            assertThat(r.status()).as(r.body()).isEqualTo(303);
            Http.Response account = h.get("/account");
            assertThat(account.status()).isEqualTo(200);
            return new Hosted(h, email, token(account));
        }
    }

    static String token(Http.Response page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void everyHostedFormRefusesAPostWithoutItsTokenOrFromAnotherOrigin() {
        Hosted victim = Hosted.signIn();
        Hosted otherDevice = Hosted.signIn();
        Map<String, Map<String, String>> forms = new LinkedHashMap<>();
        forms.put("/account/name", Map.of("name", "Mallory"));
        forms.put("/account/password", Map.of("current_password", PASSWORD, "new_password", "an attacker's passphrase"));
        forms.put("/account/email", Map.of("new_email", "attacker@evil.example", "current_password", PASSWORD));
        forms.put("/account/sessions/revoke-others", Map.of());
        forms.put("/account/verify-email", Map.of());
        forms.put("/logout", Map.of());
        forms.put("/login", Map.of("email", otherDevice.email(), "password", PASSWORD, "return_to", "/account"));
        forms.put("/signup", Map.of("email", newEmail(), "password", PASSWORD, "return_to", "/account"));
        forms.put("/forgot-password", Map.of("email", victim.email()));
        forms.put("/login/email", Map.of("email", victim.email(), "return_to", "/account"));
        forms.put("/login/code", Map.of("code", "123456", "return_to", "/account"));
        forms.put("/verify-email/resend", Map.of("email", victim.email(), "return_to", "/account"));
        forms.put("/reset-password", Map.of("token", "x".repeat(43), "new_password", "an attacker's passphrase"));
        smtp.await(victim.email(), "Confirm your e-mail address");
        smtp.await(otherDevice.email(), "Confirm your e-mail address");
        long mailsBefore = mailsTo(victim, otherDevice);
        for (Map.Entry<String, Map<String, String>> f : forms.entrySet()) {
            // no token, a wrong token, the right token from another origin, the right token marked cross-site
            Map<String, String> none = new HashMap<>(f.getValue());
            Map<String, String> wrong = new HashMap<>(f.getValue());
            wrong.put("csrf", "AAAA" + victim.csrf().substring(4));
            Map<String, String> right = new HashMap<>(f.getValue());
            right.put("csrf", victim.csrf());
            assertRefused(victim, f.getKey() + " without a token", f.getKey(), none);
            assertRefused(victim, f.getKey() + " with a wrong token", f.getKey(), wrong);
            assertRefused(victim, f.getKey() + " from another origin", f.getKey(), right, "Origin", "https://evil.example");
            assertRefused(victim, f.getKey() + " marked cross-site", f.getKey(), right, "Sec-Fetch-Site", "cross-site");
        }
        // nothing happened: same name, same password, both sessions alive, no mail sent
        Http.Response account = victim.http().get("/account");
        assertThat(account.status()).isEqualTo(200);
        assertThat(account.body()).contains("Olga").doesNotContain("Mallory").doesNotContain("attacker@evil.example");
        assertThat(otherDevice.http().get("/account").status()).isEqualTo(200);
        Http fresh = new Http(ts.base);
        assertThat(fresh.postJson("/api/auth/login", "{\"email\":\"" + victim.email() + "\",\"password\":\"" + PASSWORD + "\"}").status())
                .isEqualTo(200);
        // a mail queued after the refused forms arrives after anything they might have queued (the outbox keeps order)
        assertThat(fresh.postJson("/api/auth/password/forgot", "{\"email\":\"" + otherDevice.email() + "\"}").status()).isEqualTo(202);
        smtp.await(otherDevice.email(), "Reset your");
        assertThat(mailsTo(victim, otherDevice)).as("no mail was sent by a refused form: " + smtp.all()).isEqualTo(mailsBefore + 1);
    }

    static long mailsTo(Hosted... people) {
        return smtp.all().stream().filter(m -> java.util.Arrays.stream(people).anyMatch(p -> p.email().equalsIgnoreCase(m.to()))).count();
    }

    static void assertRefused(Hosted victim, String what, String path, Map<String, String> form, String... headers) {
        Http.Response r = victim.http().postForm(path, form, headers);
        assertThat(r.status()).as(what + ": " + r.body()).isIn(400, 403);
        assertThat(r.header("Location")).as(what).isNull();
    }
}
