package dev.latchkey.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Org-scoped admin keys over real HTTP on PostgreSQL: an organization's key reaches its own organization's members and
 * roles, and nothing else — every route the server registers is tried with it.
 */
class OrgScopedAdminTest {
    static final String ADMIN = "lka_org-scope-test-admin-key-0123456789abcdef";
    static TestServer ts;
    static Http http;
    static String orgA;
    static String orgB;
    static String keyA;
    static String keyAId;
    static String bob;

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN));
        http = new Http(ts.base);
        orgA = createOrg("Org A");
        orgB = createOrg("Org B");
        bob = signup("bob");
        assertThat(put("/admin/v1/orgs/" + orgB + "/members/" + bob, "{\"roles\":[\"owner\"]}", ADMIN).status()).isEqualTo(200);
        Http.Response k = http.postJson("/admin/v1/orgs/" + orgA + "/admin-keys", "{\"name\":\"org a admins\"}", auth(ADMIN));
        assertThat(k.status()).as(k.body()).isEqualTo(201);
        keyA = k.json().get("key").asText();
        keyAId = k.json().get("id").asText();
        assertThat(keyA).startsWith("lka_");
        assertThat(k.json().get("org_id").asText()).isEqualTo(orgA);
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void everyRegisteredAdminRouteRefusesAnOrgKeyOutsideItsOrganization() {
        List<String> routes = ts.server.routes().stream()
                .filter(r -> r.matches("(GET|POST|PUT|PATCH|DELETE) /(admin|fga)(/.*)?")).distinct().toList();
        assertThat(routes).as("the admin routes are enumerated from the server").hasSizeGreaterThan(20)
                .contains("GET /admin/v1/orgs/{id}/members", "DELETE /admin/v1/orgs/{id}", "POST /admin/v1/clients");
        List<String> allowed = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String template = route.substring(route.indexOf(' ') + 1);
            // against org B's ids: always refused
            Http.Response other = call(method, fill(template, orgB), keyA);
            assertThat(other.status()).as(route + " with org B's id: " + other.body()).isIn(401, 403);
            boolean ownPrefix = template.equals("/admin/v1/orgs/{id}") || template.startsWith("/admin/v1/orgs/{id}/");
            boolean deploymentOnly = (method.equals("DELETE") && template.equals("/admin/v1/orgs/{id}")) || template.contains("/admin-keys");
            Http.Response own = call(method, fill(template, orgA), keyA);
            if (!ownPrefix || deploymentOnly) {
                assertThat(own.status()).as(route + " (deployment route) with org A's id: " + own.body()).isIn(401, 403);
                if (template.startsWith("/admin")) {
                    assertThat(own.json().get("detail").asText()).contains("scoped to organization " + orgA);
                }
            } else {
                assertThat(own.status()).as(route + " is org A's own: not refused for scope").isNotIn(401, 403);
                allowed.add(route);
            }
        }
        assertThat(allowed).contains("GET /admin/v1/orgs/{id}/members", "PUT /admin/v1/orgs/{id}/roles/{name}");
        // org B is intact: bob is still its owner, and B still exists
        Http.Response b = http.get("/admin/v1/orgs/" + orgB, auth(ADMIN));
        assertThat(b.status()).isEqualTo(200);
        assertThat(b.json().get("members").toString()).contains(bob).contains("owner");
    }

    @Test
    void pathTricksDoNotLeaveTheOrganization() {
        String upper = orgB.toUpperCase(java.util.Locale.ROOT);
        List<String> tricks = List.of(
                "/admin/v1/orgs/" + orgA + "/../" + orgB + "/members",
                "/admin/v1/orgs/" + orgA + "/members/../../" + orgB + "/members",
                "/admin/v1/orgs/" + orgA + "/..%2F" + orgB + "/members",
                "/admin/v1/orgs/" + orgA + "%2F..%2F" + orgB + "/members",
                "/admin/v1/orgs/" + orgA + "%2F" + orgB + "/members",
                "/admin/v1/orgs/" + orgB + "/members/",
                "/admin/v1/orgs/" + orgB + "/",
                "/admin/v1/orgs/" + orgB + ";" + orgA + "/members",
                "/admin/v1/orgs/" + orgB + "/members?org=" + orgA,
                "/admin/v1/orgs/" + upper + "/members",
                "//admin/v1/orgs/" + orgB + "/members",
                "/admin/v1//orgs/" + orgB + "/members",
                "/admin/v1/orgs//" + orgB + "/members",
                "/admin/v1/./orgs/" + orgB + "/members",
                "/ADMIN/v1/orgs/" + orgB + "/members",
                "/admin/v1/orgs/%" + Integer.toHexString(orgB.charAt(0)) + orgB.substring(1) + "/members",
                "/admin/v1/orgs",
                "/admin/v1/orgs/",
                "/admin/v1/users?x=/admin/v1/orgs/" + orgA,
                "/admin/v1/users/../orgs/" + orgA + "/../../users",
                "/admin/v1/orgs/" + orgA + "/../../users",
                "/admin/v1/orgs/" + orgA + "/..",
                "/admin/v1/orgs/" + orgA + "/%2e%2e/%2e%2e/users",
                "/admin/v1/orgs/" + orgA + "/members/..%2f..%2f..%2fusers");
        for (String t : tricks) {
            Http.Response r = call("GET", t, keyA);
            assertThat(r.status()).as(t + ": " + r.body()).isBetween(400, 499);
            assertThat(r.body()).as(t).doesNotContain(bob);
            Http.Response d = call("DELETE", t.replace("/members", "/members/" + bob), keyA);
            assertThat(d.status()).as("DELETE " + t).isBetween(400, 499);
        }
        Http.Response b = http.get("/admin/v1/orgs/" + orgB, auth(ADMIN));
        assertThat(b.json().get("members").toString()).contains(bob);
        // a trailing slash on the key's own organization is the same route
        assertThat(call("GET", "/admin/v1/orgs/" + orgA + "/members/", keyA).status()).isEqualTo(200);
    }

    @Test
    void anOrgKeyManagesItsOwnMembersAndRoles() {
        String alice = signup("alice");
        assertThat(put("/admin/v1/orgs/" + orgA + "/members/" + alice, "{\"roles\":[\"viewer\"]}", ADMIN).status()).isEqualTo(200);
        assertThat(http.get("/admin/v1/orgs/" + orgA, auth(keyA)).status()).isEqualTo(200);
        Http.Response members = http.get("/admin/v1/orgs/" + orgA + "/members", auth(keyA));
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.body()).contains(alice);
        Http.Response changed = put("/admin/v1/orgs/" + orgA + "/members/" + alice, "{\"roles\":[\"editor\"]}", keyA);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("roles").toString()).isEqualTo("[\"editor\"]");
        Http.Response role = put("/admin/v1/orgs/" + orgA + "/roles/editor", "{\"permissions\":[\"notes:write\"]}", keyA);
        assertThat(role.status()).as(role.body()).isEqualTo(200);
        assertThat(http.get("/admin/v1/orgs/" + orgA + "/roles", auth(keyA)).body()).contains("notes:write");
        assertThat(http.delete("/admin/v1/orgs/" + orgA + "/roles/editor", auth(keyA)).status()).isEqualTo(204);
        assertThat(http.delete("/admin/v1/orgs/" + orgA + "/members/" + alice, auth(keyA)).status()).isEqualTo(204);
        assertThat(http.get("/admin/v1/orgs/" + orgA + "/members", auth(keyA)).body()).doesNotContain(alice);

        // the audit log names the key and its organization
        assertThat(auditDetails("membership_changed", alice)).anySatisfy(d ->
                assertThat(d).contains("roles editor").contains("admin key " + keyAId).contains("organization " + orgA));
        // and every change made with the key, on any route, is one org_admin_action event
        assertThat(auditDetails("org_admin_action", null)).contains(
                "PUT /admin/v1/orgs/{id}/roles/{name} -> 200 by admin key " + keyAId + " of organization " + orgA,
                "DELETE /admin/v1/orgs/{id}/members/{user} -> 204 by admin key " + keyAId + " of organization " + orgA);
    }

    @Test
    void anOrgKeyCannotAddANonMemberAndCannotTellWhetherAnAccountExists() {
        String carolEmail = "carol-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String carol = signupAs(carolEmail);
        String unknown = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        List<Http.Response> answers = List.of(
                put("/admin/v1/orgs/" + orgA + "/members/" + carolEmail, "{\"roles\":[\"viewer\"]}", keyA),
                put("/admin/v1/orgs/" + orgA + "/members/" + carol, "{\"roles\":[\"viewer\"]}", keyA),
                put("/admin/v1/orgs/" + orgA + "/members/" + unknown, "{\"roles\":[\"viewer\"]}", keyA),
                put("/admin/v1/orgs/" + orgA + "/members/" + UUID.randomUUID(), "{\"roles\":[\"viewer\"]}", keyA),
                put("/admin/v1/orgs/" + orgA + "/members/" + bob, "{\"roles\":[\"viewer\"]}", keyA));
        for (Http.Response r : answers) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json().get("detail").asText()).contains("invite them instead");
        }
        assertThat(answers.stream().map(r -> r.json().get("status").asText() + r.json().get("title").asText() + r.json().get("detail").asText()).distinct())
                .as("one answer for an existing non-member and an unknown address").hasSize(1);
        Http.Response delKnown = http.delete("/admin/v1/orgs/" + orgA + "/members/" + carolEmail, auth(keyA));
        Http.Response delUnknown = http.delete("/admin/v1/orgs/" + orgA + "/members/" + unknown, auth(keyA));
        assertThat(delKnown.status()).isEqualTo(404);
        assertThat(delUnknown.json().get("detail")).isEqualTo(delKnown.json().get("detail"));
        assertThat(http.get("/admin/v1/orgs/" + orgA + "/members", auth(ADMIN)).body()).doesNotContain(carol);
        // a deployment key still adds members directly
        assertThat(put("/admin/v1/orgs/" + orgA + "/members/" + carol, "{\"roles\":[\"viewer\"]}", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void aRoleChangeRacingARemovalNeverAddsTheMemberBack() throws Exception {
        for (int round = 0; round < 3; round++) {
            String dave = signup("dave");
            assertThat(put("/admin/v1/orgs/" + orgA + "/members/" + dave, "{\"roles\":[\"viewer\"]}", ADMIN).status()).isEqualTo(200);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                boolean remover = i == 10;
                results.add(pool.submit(() -> {
                    go.await();
                    return remover ? http.delete("/admin/v1/orgs/" + orgA + "/members/" + dave, auth(ADMIN)).status()
                            : put("/admin/v1/orgs/" + orgA + "/members/" + dave, "{\"roles\":[\"editor\"]}", keyA).status();
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get()).isIn(200, 204, 403);
            }
            pool.shutdown();
            assertThat(results.get(10).get()).isEqualTo(204);
            assertThat(http.get("/admin/v1/orgs/" + orgA + "/members", auth(ADMIN)).body()).as("round " + round).doesNotContain(dave);
        }
    }

    @Test
    void deploymentAdminsListAndRevokeAnOrganizationsKeys() {
        Http.Response made = http.postJson("/admin/v1/orgs/" + orgA + "/admin-keys", "{\"name\":\"short-lived\"}", auth(ADMIN));
        String secret = made.json().get("key").asText();
        String id = made.json().get("id").asText();
        assertThat(http.get("/admin/v1/orgs/" + orgA + "/members", auth(secret)).status()).isEqualTo(200);
        Http.Response listed = http.get("/admin/v1/orgs/" + orgA + "/admin-keys", auth(ADMIN));
        assertThat(listed.body()).contains(id).contains(keyAId).doesNotContain(secret);
        assertThat(http.get("/admin/v1/orgs/" + orgB + "/admin-keys", auth(ADMIN)).body()).doesNotContain(id);
        assertThat(http.delete("/admin/v1/orgs/" + orgB + "/admin-keys/" + id, auth(ADMIN)).status()).as("not B's key").isEqualTo(404);
        assertThat(http.delete("/admin/v1/orgs/" + orgA + "/admin-keys/" + id, auth(secret)).status()).as("not by itself").isEqualTo(403);
        assertThat(http.postJson("/admin/v1/orgs/" + orgA + "/admin-keys", "{\"name\":\"x\"}", auth(keyA)).status()).isEqualTo(403);
        assertThat(http.delete("/admin/v1/orgs/" + orgA + "/admin-keys/" + id, auth(ADMIN)).status()).isEqualTo(204);
        assertThat(http.get("/admin/v1/orgs/" + orgA + "/members", auth(secret)).status()).isEqualTo(401);
        assertThat(http.postJson("/admin/v1/orgs/" + UUID.randomUUID() + "/admin-keys", "{\"name\":\"x\"}", auth(ADMIN)).status()).isEqualTo(404);
        assertThat(http.postJson("/admin/v1/orgs/" + orgA + "/admin-keys", "{}", auth(ADMIN)).status()).isEqualTo(400);
        assertThat(auditDetails("admin_key_revoked", null)).anySatisfy(d -> assertThat(d).contains(id));
    }

    // ---- helpers

    static String fill(String template, String org) {
        return template.replace("{id}", org).replace("{user}", bob).replace("{key}", UUID.randomUUID().toString())
                .replaceAll("\\{[a-z_]+}", "x");
    }

    static Http.Response call(String method, String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ts.base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json");
        String body = "{\"roles\":[\"owner\"],\"name\":\"x\",\"permissions\":[\"a:b\"]}";
        b = switch (method) {
            case "GET" -> b.GET();
            case "DELETE" -> b.DELETE();
            default -> b.method(method, HttpRequest.BodyPublishers.ofString(body));
        };
        return http.send(b);
    }

    static Http.Response put(String path, String json, String key) {
        return http.send(HttpRequest.newBuilder(URI.create(ts.base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    static String[] auth(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    static String createOrg(String name) {
        Http.Response r = http.postJson("/admin/v1/orgs", "{\"name\":\"" + name + "\"}", auth(ADMIN));
        assertThat(r.status()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static String signup(String who) {
        return signupAs(who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");
    }

    static String signupAs(String email) {
        Http.Response r = new Http(ts.base).postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"org scoped passphrase\"}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        JsonNode u = http.get("/admin/v1/users?limit=1000", auth(ADMIN)).json().get("users");
        for (JsonNode n : u) {
            if (n.get("email").asText().equals(email)) {
                return n.get("id").asText();
            }
        }
        throw new AssertionError("no user " + email);
    }

    static List<String> auditDetails(String type, String userId) {
        try (Connection c = ts.db.connect(); PreparedStatement s = c.prepareStatement(
                "SELECT detail FROM audit_events WHERE type = ? AND (?::uuid IS NULL OR user_id = ?::uuid)")) {
            s.setString(1, type);
            s.setString(2, userId);
            s.setString(3, userId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
