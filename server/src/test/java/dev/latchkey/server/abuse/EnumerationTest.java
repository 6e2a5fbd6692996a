package dev.latchkey.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.mail.Mailbox;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Account enumeration over real HTTP (OWASP ASVS V2/V3): sign-in, password reset, sign-in links
 * and sign-up answer alike for an address with an account and one without — status, body (the
 * address itself, ids and per-request tokens aside), header names and the names of the cookies
 * set — on the first-party API and the hosted pages, with {@code email.verification=required}.
 */
class EnumerationTest {
    static final String PASSWORD = "a perfectly fine passphrase";
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    /** The passkey button's copy of the browser's CSRF token (each fresh browser has its own). */
    static final Pattern DATA_CSRF = Pattern.compile("data-csrf=\"[^\"]+\"");
    static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern HEX = Pattern.compile("\\b[0-9a-f]{16,64}\\b");
    static Mailbox smtp;
    static TestServer ts;

    @BeforeAll
    static void start() {
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_EMAIL_VERIFICATION", "required");
        ts = TestServer.start(env);
    }

    @AfterAll
    static void stop() {
        ts.close();
        smtp.close();
    }

    /** Two addresses of the same length, so that even Content-Length may not differ; the first has an account. */
    record Pair(String known, String unknown) {
    }

    static Pair pair() {
        String known = "enum-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String unknown = "enum-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(ts.base).postJson("/api/auth/signup", "{\"email\":\"" + known + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return new Pair(known, unknown);
    }

    /** What may be compared: status, header names (and the content type), cookie names, the body with the address and tokens masked. */
    record Seen(int status, TreeSet<String> headers, String contentType, TreeSet<String> cookies, String body) {
        static Seen of(Http.Response r, String email) {
            TreeSet<String> names = new TreeSet<>();
            r.headers().keySet().forEach(k -> names.add(k.toLowerCase(java.util.Locale.ROOT)));
            names.remove("connection");   // the transport's, not the answer's (a closed keep-alive)
            TreeSet<String> cookies = new TreeSet<>();
            r.headers("set-cookie").forEach(c -> cookies.add(c.split("=", 2)[0]));
            String body = r.body().replace(email, "EMAIL")
                    .replace(java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8), "EMAIL");
            body = CSRF.matcher(body).replaceAll("name=\"csrf\" value=\"CSRF\"");
            body = DATA_CSRF.matcher(body).replaceAll("data-csrf=\"CSRF\"");
            body = UUIDS.matcher(body).replaceAll("UUID");
            body = HEX.matcher(body).replaceAll("HEX");
            return new Seen(r.status(), names, r.header("Content-Type"), cookies, body);
        }
    }

    static void same(String what, Pair p, Function<String, Http.Response> call) {
        Seen known = Seen.of(call.apply(p.known()), p.known());
        Seen unknown = Seen.of(call.apply(p.unknown()), p.unknown());
        assertThat(unknown.status()).as(what).isEqualTo(known.status());
        assertThat(unknown.headers()).as(what).isEqualTo(known.headers());
        assertThat(unknown.contentType()).as(what).isEqualTo(known.contentType());
        assertThat(unknown.cookies()).as(what).isEqualTo(known.cookies());
        assertThat(unknown.body()).as(what).isEqualTo(known.body());
    }

    static String json(String email, String password) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
    }

    /** A fresh browser on the hosted page {@code page}: posts {@code form} with the page's CSRF token. */
    static Http.Response hostedPost(String page, String action, Map<String, String> form) {
        Http b = new Http(ts.base);
        Http.Response get = b.get(page);
        Matcher m = CSRF.matcher(get.body());
        assertThat(m.find()).as(get.body()).isTrue();
        Map<String, String> f = new HashMap<>(form);
        f.put("csrf", m.group(1));
        f.put("return_to", "/account");
        return b.postForm(action, f, "Origin", ts.base);
    }

    @Test
    void signInAnswersAlike() {
        Pair p = pair();
        same("API login", p, e -> new Http(ts.base).postJson("/api/auth/login", json(e, "not the password at all")));
        same("hosted login", p, e -> hostedPost("/login", "/login", Map.of("email", e, "password", "not the password at all")));
    }

    @Test
    void passwordResetAndSignInLinksAnswerAlike() {
        Pair p = pair();
        same("API reset", p, e -> new Http(ts.base).postJson("/api/auth/password/forgot", "{\"email\":\"" + e + "\"}"));
        same("API magic link", p, e -> new Http(ts.base).postJson("/api/auth/magic-link", "{\"email\":\"" + e + "\"}"));
        same("hosted reset", p, e -> hostedPost("/forgot-password", "/forgot-password", Map.of("email", e)));
        same("hosted magic link", p, e -> hostedPost("/login/email", "/login/email", Map.of("email", e)));
    }

    @Test
    void signUpWithATakenAddressAnswersLikeANewOneAndTellsTheOwner() {
        Pair p = pair();
        // the first sign-up's verification mail is there; after it, a notice instead of a link
        smtp.await(p.known(), "Confirm your e-mail address");
        same("API sign-up", p, e -> new Http(ts.base).postJson("/api/auth/signup", json(e, "another fine passphrase")));
        Mailbox.Received notice = smtp.await(p.known(), "tried to sign up");
        assertThat(notice.text()).contains("already has one").contains("/forgot-password").doesNotContain("token=");
        UUID owner = ts.backend().users().findByEmail(EmailAddress.parse(p.known())).orElseThrow().id();
        assertThat(ts.backend().audit().recent(owner, AuditType.SIGNUP_EXISTING_ADDRESS, 10)).hasSize(1);

        Pair q = pair();
        same("hosted sign-up", q, e -> hostedPost("/signup", "/signup", Map.of("email", e, "password", "another fine passphrase",
                "name", "Eve")));
        smtp.await(q.known(), "tried to sign up");
        // the owner's account is untouched: the original password still signs in (after verification, as before)
        List<Mailbox.Received> links = smtp.all().stream().filter(m -> m.to().equalsIgnoreCase(q.known())
                && m.subject().contains("Confirm your e-mail address")).toList();
        assertThat(links).hasSize(1);
    }
}
