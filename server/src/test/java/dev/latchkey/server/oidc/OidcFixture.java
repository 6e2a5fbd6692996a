package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real server with an admin key, helpers to register clients and to sign in through the hosted page. */
public final class OidcFixture implements AutoCloseable {
    public static final String ADMIN_KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    public static final String PASSWORD = "a perfectly fine passphrase";
    static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    public final TestServer ts;
    public final String base;

    public OidcFixture(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY);
        ts = TestServer.start(e);
        base = ts.base;
    }

    /** Registers a client through the admin API; returns the response (with client_secret if any). */
    public JsonNode register(String json) {
        Http.Response r = new Http(base).postJson("/admin/v1/clients", json, "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** A user with the fixture's password. */
    public String newUser() {
        String email = "oidc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(base).postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Olga\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return email;
    }

    public static String verifier() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII));
    }

    public static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Follows an authorization URL like a browser: redirects, the hosted sign-in form (if asked)
     * and more redirects, until the response points at {@code redirectPrefix}; returns that location.
     */
    public String browse(Http browser, String authorizeUrl, String email, String redirectPrefix) {
        Http.Response r = browser.get(authorizeUrl);
        for (int hop = 0; hop < 10; hop++) {
            if (r.status() / 100 == 3) {
                String loc = URI.create(base + "/").resolve(r.header("Location")).toString();
                if (loc.startsWith(redirectPrefix)) {
                    return loc;
                }
                r = browser.get(loc);
                continue;
            }
            Matcher m = CSRF.matcher(r.body());
            if (r.status() == 200 && r.body().contains("name=\"password\"") && m.find()) {
                String returnTo = find(r.body(), "name=\"return_to\" value=\"([^\"]*)\"").replace("&amp;", "&");
                r = browser.postForm("/login", Map.of("csrf", m.group(1), "email", email, "password", PASSWORD, "return_to", returnTo));
                continue;
            }
            return "page:" + r.status() + ":" + r.body();
        }
        throw new AssertionError("too many hops");
    }

    public static String find(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    public static Map<String, String> query(String url) {
        Map<String, String> q = new HashMap<>();
        String raw = URI.create(url).getRawQuery();
        if (raw != null) {
            for (String p : raw.split("&")) {
                int eq = p.indexOf('=');
                q.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    @Override
    public void close() {
        ts.close();
    }
}
