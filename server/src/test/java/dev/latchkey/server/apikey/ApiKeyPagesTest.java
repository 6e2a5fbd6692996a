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

    static final String ADMIN_KEY = "lka_api-key-pages-test-admin-key-0123456789";

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
    }

    static Http.Response admin(String method, String path, String json) {
        var body = json == null ? java.net.http.HttpRequest.BodyPublishers.noBody() : java.net.http.HttpRequest.BodyPublishers.ofString(json);
        Http.Response r = new Http(ts.base).send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ts.base + path)).method(method, body)
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
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

    @Test
    void aKeyMadeOnThePageMayNameOneOfTheUsersOrganizationsAndNarrowItsPermissions() throws Exception {
        String exchange = "urn:ietf:params:oauth:grant-type:token-exchange";
        String clientId = "pages-api-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = admin("POST", "/admin/v1/clients", """
                {"client_id":"%s","grant_types":["client_credentials","%s"]}""".formatted(clientId, exchange)).json().get("client_secret").asText();
        admin("PUT", "/admin/v1/roles/page-editor", "{\"permissions\":[\"notes:read\",\"notes:write\"]}");
        String acme = admin("POST", "/admin/v1/orgs", "{\"name\":\"Acme Pages\"}").json().get("id").asText();
        String other = admin("POST", "/admin/v1/orgs", "{\"name\":\"Not Mine\"}").json().get("id").asText();

        Http browser = new Http(ts.base);
        String email = "page-org-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        assertThat(browser.postForm("/signup", Map.of("csrf", find(CSRF, browser.get("/signup")), "email", email, "password", PW,
                "return_to", "/account")).status()).isEqualTo(303);
        String user = ts.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id().toString();

        // no membership yet: the form offers no organization
        Http.Response none = browser.get("/account/api-keys");
        assertThat(none.body()).doesNotContain("id=\"key-org\"");
        admin("PUT", "/admin/v1/orgs/" + acme + "/members/" + user, "{\"roles\":[\"page-editor\"]}");
        Http.Response page = browser.get("/account/api-keys");
        assertThat(page.body()).contains("<option value=\"" + acme + "\">Acme Pages").doesNotContain(other);

        // an organization the user is not in, a malformed one, and permissions without an organization: refused, nothing made
        for (Map<String, String> bad : java.util.List.of(Map.of("org", other), Map.of("org", "acme'--"), Map.of("permissions", "notes:read"))) {
            Map<String, String> form = new java.util.HashMap<>(Map.of("csrf", find(CSRF, page), "name", "bad", "expires_days", "30"));
            form.putAll(bad);
            Http.Response r = browser.postForm("/account/api-keys", form);
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("id=\"error\"").doesNotContain("id=\"created-key\"");
        }
        assertThat(browser.get("/account/api-keys").body()).contains("id=\"no-keys\"");

        Http.Response made = browser.postForm("/account/api-keys", Map.of("csrf", find(CSRF, page), "name", "acme reader",
                "org", acme, "permissions", "notes:read", "expires_days", "30"));
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.body()).contains("<span class=\"key-org\">Acme Pages</span>").contains("<code class=\"key-permissions\">notes:read</code>");
        String key = find(KEY, made);

        // the exchanged token is for Acme, with the user's permissions there narrowed to the key's
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Http.Response t = new Http(ts.base).postForm("/oauth2/token", Map.of("grant_type", exchange, "subject_token", key,
                "subject_token_type", "urn:latchkey:params:oauth:token-type:api-key"), "Authorization", basic);
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        var claims = com.nimbusds.jwt.SignedJWT.parse(t.json().get("access_token").asText()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("org")).isEqualTo(acme);
        assertThat(claims.getStringListClaim("permissions")).containsExactly("notes:read");
    }
}
