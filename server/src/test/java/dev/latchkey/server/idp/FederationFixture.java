package dev.latchkey.server.idp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.net.InetAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A Latchkey server with upstream providers: mock-oauth2-server (a real OIDC provider, issuers
 * {@code corp}, {@code trusted}, {@code corp2}, {@code closed}) and the {@link UpstreamStandIn}
 * ({@code standin} OIDC, {@code gh} GitHub-style), plus {@code down}, a provider nobody answers for.
 */
final class FederationFixture implements AutoCloseable {
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    static final String ADMIN_KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    static final String PASSWORD = "an ordinary long passphrase";

    final MockOAuth2Server mock = new MockOAuth2Server();
    final UpstreamStandIn standIn;
    final TestServer ts;

    FederationFixture(Map<String, String> extra) throws Exception {
        mock.start(InetAddress.getByName("127.0.0.1"), 0);
        standIn = new UpstreamStandIn();
        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY);
        env.put("LATCHKEY_IDP_PROVIDERS", "corp,trusted,corp2,closed,standin,gh,down");
        oidc(env, "corp", mockIssuer("corp"), "Corp SSO");
        oidc(env, "trusted", mockIssuer("trusted"), "Trusted SSO");
        env.put("LATCHKEY_IDP_TRUSTED_TRUSTED_EMAILS", "true");
        oidc(env, "corp2", mockIssuer("corp2"), "Corp Two");
        env.put("LATCHKEY_IDP_CORP2_STORE_TOKENS", "true");
        oidc(env, "closed", mockIssuer("closed"), "Closed SSO");
        env.put("LATCHKEY_IDP_CLOSED_MAY_CREATE_USERS", "false");
        oidc(env, "standin", standIn.issuer(), "Stand-in");
        env.put("LATCHKEY_IDP_STANDIN_CLIENT_ID", "latchkey-at-standin");
        env.put("LATCHKEY_IDP_GH_PRESET", "github");
        env.put("LATCHKEY_IDP_GH_LABEL", "GitHub");
        env.put("LATCHKEY_IDP_GH_CLIENT_ID", "Iv1.latchkey");
        env.put("LATCHKEY_IDP_GH_CLIENT_SECRET", "gh-secret");
        env.put("LATCHKEY_IDP_GH_AUTHORIZATION_ENDPOINT", standIn.base() + "/gh/authorize");
        env.put("LATCHKEY_IDP_GH_TOKEN_ENDPOINT", standIn.base() + "/gh/token");
        env.put("LATCHKEY_IDP_GH_USERINFO_ENDPOINT", standIn.base() + "/gh/user");
        env.put("LATCHKEY_IDP_GH_EMAILS_ENDPOINT", standIn.base() + "/gh/user/emails");
        oidc(env, "down", "http://localhost:" + TestServer.freePort() + "/nobody", "Down");
        env.putAll(extra);
        ts = TestServer.start(env);
    }

    String mockIssuer(String id) {
        String u = mock.issuerUrl(id).toString();
        return u.replace("127.0.0.1", "localhost").replaceAll("/$", "");
    }

    private static void oidc(Map<String, String> env, String name, String issuer, String label) {
        String p = "LATCHKEY_IDP_" + name.toUpperCase() + "_";
        env.put(p + "ISSUER", issuer);
        env.put(p + "CLIENT_ID", "latchkey");
        env.put(p + "CLIENT_SECRET", "secret-of-" + name);
        env.put(p + "LABEL", label);
    }

    /** The next token request at mock issuer {@code issuerId} answers for {@code subject} with these claims. */
    void next(String issuerId, String subject, Map<String, Object> claims) {
        next(issuerId, subject, claims, 3600);
    }

    void next(String issuerId, String subject, Map<String, Object> claims, long expiry) {
        mock.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", java.util.List.of("latchkey"), claims, expiry));
    }

    Http browser() {
        return new Http(ts.base);
    }

    /** Starts at {@code start} and follows the browser through the provider to Latchkey's callback; returns the callback's answer. */
    Http.Response roundTrip(Http browser, String start) {
        return browser.get(upstreamCallback(browser, start));
    }

    /** The callback URL the provider sends the browser to (not yet opened). */
    String upstreamCallback(Http browser, String start) {
        Http.Response r = browser.get(start);
        assertThat(r.status()).as(r.body()).isEqualTo(302);
        String upstream = r.header("Location");
        assertThat(upstream).doesNotStartWith(ts.base);
        Http.Response up = new Http(upstream).get(upstream);
        assertThat(up.status()).as(up.body()).isEqualTo(302);
        String cb = up.header("Location");
        assertThat(cb).startsWith(ts.base + "/login/idp/callback?");
        return cb;
    }

    /** The unified user id the account page shows (the browser must be signed in). */
    String userId(Http browser) {
        Http.Response a = browser.get("/account");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return find(a.body(), "<dt>User id</dt><dd><code>([0-9a-f-]{36})</code>");
    }

    String signUp(Http h, String email) {
        String token = csrf(h.get("/signup"));
        Http.Response r = h.postForm("/signup", Map.of("csrf", token, "email", email, "password", PASSWORD, "return_to", "/account"));
        assertThat(r.status()).as(r.body()).isEqualTo(303);
        return userId(h);
    }

    static String csrf(Http.Response page) {
        return find(page.body(), CSRF.pattern());
    }

    static String find(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    static String email() {
        return "fed-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    static URI uri(String s) {
        return URI.create(s);
    }

    @Override
    public void close() {
        ts.close();
        standIn.close();
        mock.shutdown();
    }
}
