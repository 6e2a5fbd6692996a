package dev.latchkey.server.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hosted mail pages and the account page over HTTP: forms, CSRF, bad links and bad input. */
class HostedMailPagesTest {
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final String PW = "an ordinary long passphrase";
    static Mailbox smtp;
    static TestServer ts;

    @BeforeAll
    static void start() {
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_RATELIMIT_MAIL_PER_ADDRESS", "50/1h");
        env.put("LATCHKEY_RATELIMIT_MAIL_PER_IP", "1000/1h");
        ts = TestServer.start(env);
    }

    @AfterAll
    static void stop() {
        ts.close();
        smtp.close();
    }

    static String csrf(Http.Response page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    static String signUp(Http h) {
        String email = "hp-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = h.postForm("/signup", Map.of("csrf", csrf(h.get("/signup")), "email", email, "password", PW, "return_to", "/account"));
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return email;
    }

    @Test
    void changingThePasswordOnTheAccountPageEndsOtherSessionsAndKeepsThisOne() {
        Http laptop = new Http(ts.base);
        String email = signUp(laptop);
        Http phone = new Http(ts.base);
        phone.postForm("/login", Map.of("csrf", csrf(phone.get("/login")), "email", email, "password", PW));
        assertThat(phone.get("/account").status()).isEqualTo(200);

        String token = csrf(laptop.get("/account"));
        Http.Response wrong = laptop.postForm("/account/password", Map.of("csrf", token, "current_password", "not it at all", "new_password",
                "a fresh long passphrase"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("current password is incorrect");
        Http.Response ok = laptop.postForm("/account/password", Map.of("csrf", token, "current_password", PW, "new_password",
                "a fresh long passphrase"));
        assertThat(ok.status()).isEqualTo(303);
        assertThat(ok.header("Location")).isEqualTo("/account?done=password");
        assertThat(laptop.get("/account").status()).as("this browser continues").isEqualTo(200);
        assertThat(phone.get("/account").status()).as("the other one is signed out").isEqualTo(302);
    }

    @Test
    void accountFormsNeedTheirCsrfTokenAndASession() {
        Http h = new Http(ts.base);
        signUp(h);
        h.get("/account");
        Http.Response forged = h.postForm("/account/name", Map.of("csrf", "forged", "name", "Mallory"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(h.get("/account").body()).doesNotContain("Mallory");
        Http.Response anonymous = new Http(ts.base).postForm("/account/name", Map.of("csrf", "x", "name", "Mallory"));
        assertThat(anonymous.status()).isEqualTo(303);
        assertThat(anonymous.header("Location")).startsWith("/login");
        String token = csrf(h.get("/account"));
        Http.Response badSession = h.postForm("/account/sessions/revoke", Map.of("csrf", token, "session", "not-a-uuid"));
        assertThat(badSession.status()).isEqualTo(400);
        Http.Response otherSession = h.postForm("/account/sessions/revoke", Map.of("csrf", token, "session", UUID.randomUUID().toString()));
        assertThat(otherSession.status()).isEqualTo(404);
        Http.Response longName = h.postForm("/account/name", Map.of("csrf", token, "name", "n".repeat(300)));
        assertThat(longName.status()).isEqualTo(400);
    }

    @Test
    void badLinksAndBadFormsGetPagesNeverServerErrors() {
        Http h = new Http(ts.base);
        String[] gets = {"/verify-email?token=bogus", "/verify-email", "/reset-password?token=bogus", "/reset-password",
                "/login/link?token=bogus", "/login/link", "/account/email/confirm?token=bogus", "/login/link?token=a&token=b",
                "/reset-password?token=" + "x".repeat(5000)};
        for (String path : gets) {
            Http.Response r = h.get(path);
            assertThat(r.status()).as(path + " → " + r.body()).isBetween(400, 499);
            assertThat(r.header("Content-Type")).as(path).startsWith("text/html");
        }
        String token = csrf(h.get("/forgot-password"));
        Map<String, Map<String, String>> posts = new LinkedHashMap<>();
        posts.put("/forgot-password", Map.of("csrf", token, "email", "not an address"));
        posts.put("/reset-password", Map.of("csrf", token, "token", "bogus", "password", "a fresh long passphrase"));
        posts.put("/login/email", Map.of("csrf", token, "email", "@@"));
        posts.put("/login/code", Map.of("csrf", token, "code", "123456"));
        posts.put("/login/link", Map.of("csrf", token, "token", "bogus"));
        posts.put("/verify-email/resend", Map.of("csrf", "forged", "email", "a@example.test"));
        posts.put("/account/email/confirm", Map.of("csrf", token, "token", "bogus"));
        for (var e : posts.entrySet()) {
            Http.Response r = h.postForm(e.getKey(), e.getValue());
            assertThat(r.status()).as(e.getKey() + " → " + r.body()).isBetween(400, 499);
            assertThat(r.header("Content-Type")).as(e.getKey()).startsWith("text/html");
        }
        Http.Response noCsrf = h.postForm("/forgot-password", Map.of("email", "a@example.test"));
        assertThat(noCsrf.status()).isEqualTo(403);
    }

    @Test
    void forgotPasswordOnTheHostedPageAnswersTheSameForKnownAndUnknownAddresses() {
        Http h = new Http(ts.base);
        String known = signUp(h);
        Http a = new Http(ts.base);
        Http.Response forKnown = a.postForm("/forgot-password", Map.of("csrf", csrf(a.get("/forgot-password")), "email", known));
        Http b = new Http(ts.base);
        String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response forUnknown = b.postForm("/forgot-password", Map.of("csrf", csrf(b.get("/forgot-password")), "email", unknown));
        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(200);
        assertThat(forKnown.body().replace(known, "X").replaceAll("value=\"[^\"]+\"", ""))
                .isEqualTo(forUnknown.body().replace(unknown, "X").replaceAll("value=\"[^\"]+\"", ""));
        smtp.await(known, "Reset your");
    }
}
