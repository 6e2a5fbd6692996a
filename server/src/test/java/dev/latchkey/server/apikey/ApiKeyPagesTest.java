package dev.latchkey.server.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.credential.totp.Base32;
import dev.latchkey.core.credential.totp.Totp;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The account's API key page over real HTTP with a real browser session: list, make (the key shown once), revoke;
 * once the user has a second factor, a session that signed in with the password alone is sent to confirm it before
 * a key is made, and after confirming makes one.
 */
class ApiKeyPagesTest {
    static final String PW = "a perfectly fine passphrase";
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final Pattern CHALLENGE = Pattern.compile("name=\"challenge\" value=\"([^\"]+)\"");
    static final Pattern KEY = Pattern.compile("<code id=\"created-key\">(lk_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{43})</code>");
    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = TestServer.start();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String find(Pattern p, Http.Response r) {
        Matcher m = p.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    @Test
    void makeListAndRevokeAKeyAndMakingOneNeedsARecentSecondFactorOnceTheUserHasOne() throws Exception {
        Http browser = new Http(ts.base);
        String email = "page-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response up = browser.postForm("/signup", Map.of("csrf", find(CSRF, browser.get("/signup")), "email", email, "password", PW,
                "return_to", "/account"));
        assertThat(up.status()).as(up.body()).isEqualTo(303);

        Http.Response empty = browser.get("/account/api-keys");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).contains("id=\"no-keys\"");
        assertThat(browser.get("/account").body()).contains("href=\"/account/api-keys\"");

        // no second factor yet: the key is made at once and shown once
        Http.Response made = browser.postForm("/account/api-keys", Map.of("csrf", find(CSRF, empty), "name", "laptop script",
                "scope", "notes.read", "expires_days", "30"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.header("Cache-Control")).contains("no-store");
        String key = find(KEY, made);
        Http.Response listed = browser.get("/account/api-keys");
        assertThat(listed.body()).contains("laptop script").contains(key.split("_")[2]).doesNotContain(key);

        // a form without the page's CSRF token makes nothing
        Http.Response forged = browser.postForm("/account/api-keys", Map.of("csrf", "forged", "name", "x", "expires_days", "30"));
        assertThat(forged.status()).isEqualTo(403);

        // the user sets up an authenticator app (through the first-party API, in another session)
        Http app = new Http(ts.base);
        String bearer = "Bearer " + app.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PW + "\"}")
                .json().get("access_token").asText();
        Http.Response begin = app.postJson("/api/auth/mfa/totp", "{}", "Authorization", bearer, "X-CSRF", "1");
        assertThat(begin.status()).as(begin.body()).isEqualTo(200);
        byte[] secret = Base32.decode(begin.json().get("secret").asText());
        long step = Totp.DEFAULT.step(Instant.now());
        assertThat(app.postJson("/api/auth/mfa/totp/confirm", "{\"code\":\"" + Totp.DEFAULT.code(secret, step) + "\"}",
                "Authorization", bearer, "X-CSRF", "1").status()).isEqualTo(200);

        // this browser signed in with the password only: making a key now asks for the second factor first
        Http.Response asked = browser.postForm("/account/api-keys", Map.of("csrf", find(CSRF, browser.get("/account/api-keys")),
                "name", "second", "expires_days", "30"));
        assertThat(asked.status()).as(asked.body()).isEqualTo(303);
        assertThat(asked.header("Location")).isEqualTo("/account/confirm?return_to=%2Faccount%2Fapi-keys");
        assertThat(browser.get("/account/api-keys").body()).doesNotContain("<strong>second</strong>");

        Http.Response confirm = browser.get(asked.header("Location"));
        assertThat(confirm.status()).as(confirm.body()).isEqualTo(200);
        Http.Response done = browser.postForm("/login/mfa", Map.of("csrf", find(CSRF, confirm), "challenge", find(CHALLENGE, confirm),
                "factor", "totp", "code", Totp.DEFAULT.code(secret, step + 1), "return_to", "/account/api-keys"));
        assertThat(done.status()).as(done.body()).isEqualTo(303);
        assertThat(done.header("Location")).isEqualTo("/account/api-keys");

        Http.Response page = browser.get("/account/api-keys");
        Http.Response second = browser.postForm("/account/api-keys", Map.of("csrf", find(CSRF, page), "name", "second", "expires_days", "30"));
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(find(KEY, second)).isNotEqualTo(key);

        // revoke the first key from the page
        Matcher first = Pattern.compile("data-id=\"([0-9a-f-]{36})\"><strong>laptop script").matcher(second.body());
        assertThat(first.find()).as(second.body()).isTrue();
        Http.Response revoked = browser.postForm("/account/api-keys/revoke", Map.of("csrf", find(CSRF, second), "key", first.group(1)));
        assertThat(revoked.status()).isEqualTo(303);
        Http.Response after = browser.get(revoked.header("Location"));
        assertThat(after.body()).contains("The key was revoked.");
        assertThat(after.body()).containsPattern("laptop script</strong> · <code>[0-9A-Za-z]{16}</code> · revoked");
    }
}
