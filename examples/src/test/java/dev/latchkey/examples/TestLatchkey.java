package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A real Latchkey server ({@code TestServer} from the server's test-jar: a fresh PostgreSQL database, a random
 * port, cheap Argon2) with a bootstrap admin key, plus what the demo's tests do with it: users, orgs, roles,
 * clients. Close it to drop the database.
 */
final class TestLatchkey implements AutoCloseable {
    static final String ADMIN_KEY = "lka_demo-test-admin-key-0123456789abcdefghij";
    static final String PASSWORD = "a perfectly fine passphrase";

    final TestServer ts;
    final LatchkeyServer server;
    final String base;

    private TestLatchkey(TestServer ts) {
        this.ts = ts;
        this.server = ts.server;
        this.base = ts.base;
    }

    static TestLatchkey start() {
        return new TestLatchkey(TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY)));
    }

    /** A signed-up user and the access token the first-party API returned. */
    record User(String email, String id, String token) {
    }

    User signUp(String name) {
        String email = "demo-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(base).postJson("/api/auth/signup",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"" + name + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String token = r.json().get("access_token").asText();
        return new User(email, subjectOf(token), token);
    }

    /** A fresh login (needed after a role change, which ends the old sessions). */
    User logIn(User u) {
        Http.Response r = new Http(base).postJson("/api/auth/login", "{\"email\":\"" + u.email() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String token = r.json().get("access_token").asText();
        return new User(u.email(), subjectOf(token), token);
    }

    /**
     * The user signed in afresh and switched to {@code orgId} through the first-party API ({@code POST /api/auth/org}
     * with the refresh cookie), as the gateway's switch does: the token names that organization with its roles.
     */
    User inOrg(User u, String orgId) {
        Http.Response login = new Http(base).postJson("/api/auth/login", "{\"email\":\"" + u.email() + "\",\"password\":\"" + PASSWORD + "\"}");
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.contains("lk_refresh=")).findFirst()
                .orElseThrow(() -> new AssertionError("no refresh cookie: " + login.headers())).split(";", 2)[0];
        Http.Response switched = new Http(base).postJson("/api/auth/org", "{\"org_id\":\"" + orgId + "\"}", "Cookie", cookie, "X-CSRF", "1");
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        String token = switched.json().get("access_token").asText();
        return new User(u.email(), subjectOf(token), token);
    }

    /** Defines (or replaces) one of the organization's own roles. */
    void defineRole(String orgId, String name, String... permissions) {
        Http.Response r = admin().send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/orgs/" + orgId + "/roles/" + name))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"permissions\":" + Http.JSON.valueToTree(java.util.List.of(permissions)) + "}")));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    String createOrg(String name) {
        Http.Response r = admin().postJson("/admin/v1/orgs", "{\"name\":\"" + name + "\"}", "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    void setRoles(String orgId, User u, String... roles) {
        StringBuilder json = new StringBuilder("{\"roles\":[");
        for (int i = 0; i < roles.length; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(roles[i]).append('"');
        }
        json.append("]}");
        Http.Response r = admin().send(HttpRequest.newBuilder(URI.create(base + "/admin/v1/orgs/" + orgId + "/members/" + u.email()))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.toString())));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    void disable(User u) {
        Http.Response r = admin().postJson("/admin/v1/users/" + u.id() + "/disable", "{}", "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isIn(200, 204);
    }

    /** Registers a confidential client; returns its secret. */
    String registerClient(String json) {
        Http.Response r = admin().postJson("/admin/v1/clients", json, "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("client_secret").asText();
    }

    /** A client_credentials access token for a registered client (its sub is the client id, not a user). */
    String clientToken(String clientId, String secret) {
        JsonNode discovery = admin().get("/.well-known/openid-configuration").json();
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Http.Response r = new Http(base).post(discovery.get("token_endpoint").asText(), "application/x-www-form-urlencoded",
                "grant_type=client_credentials", "Authorization", "Basic " + basic);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("access_token").asText();
    }

    private Http admin() {
        return new Http(base);
    }

    static String subjectOf(String jwt) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(jwt).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        ts.close();
    }
}
