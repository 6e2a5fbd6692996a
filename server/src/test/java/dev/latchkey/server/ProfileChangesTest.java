package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user's name changed through the admin API or the first-party API on one node is seen at once on another. */
class ProfileChangesTest {
    static final String ADMIN_KEY = "lka_profile-test-admin-key-0123456789abcdef";
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() {
        a = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        b = TestServer.secondNode(a, Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    static void eventually(Supplier<String> actual, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String seen = null;
        while (System.nanoTime() < deadline) {
            seen = actual.get();
            if (expected.equals(seen)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void anAdminRenameOnOneNodeEvictsTheOtherNodesCachedUser() throws Exception {
        User u = a.backend().accounts().signup(new SignupRequest("p-" + UUID.randomUUID() + "@example.test", "a perfectly fine passphrase",
                "Ada"), RequestContext.SYSTEM);
        assertThat(b.backend().liveSessions().user(u.id()).orElseThrow().name()).isEqualTo("Ada");
        Http.Response r = new Http(a.base).patchJson("/admin/v1/users/" + u.id(), "{\"name\":\"Grace Hopper\"}", "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("name").asText()).isEqualTo("Grace Hopper");
        assertThat(a.backend().liveSessions().user(u.id()).orElseThrow().name()).as("this node: before the request returned").isEqualTo("Grace Hopper");
        eventually(() -> b.backend().liveSessions().user(u.id()).orElseThrow().name(), "Grace Hopper");
    }

    @Test
    void aRenameThroughTheFirstPartyApiReachesUserinfoCachesOnEveryNode() throws Exception {
        Http h = new Http(a.base);
        String email = "p-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response s = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\",\"name\":\"Ada\"}");
        String token = "Bearer " + s.json().get("access_token").asText();
        UUID id = UUID.fromString(h.get("/api/auth/me", "Authorization", token).json().get("id").asText());
        assertThat(b.backend().liveSessions().user(id).orElseThrow().name()).isEqualTo("Ada");
        assertThat(h.patchJson("/api/auth/me", "{\"name\":\"Lin\"}", "Authorization", token).status()).isEqualTo(200);
        eventually(() -> b.backend().liveSessions().user(id).orElseThrow().name(), "Lin");
    }

    @Test
    void adminPatchRefusesBadInputWithProblems() {
        User u = a.backend().accounts().signup(new SignupRequest("p-" + UUID.randomUUID() + "@example.test", "a perfectly fine passphrase",
                null), RequestContext.SYSTEM);
        Http admin = new Http(a.base);
        String auth = "Bearer " + ADMIN_KEY;
        for (String body : new String[] {"{\"name\":\"a\\nb\"}", "{\"email\":\"x@y.test\"}", "null", "{\"name\":1}", "nope"}) {
            Http.Response r = admin.patchJson("/admin/v1/users/" + u.id(), body, "Authorization", auth);
            assertThat(r.status()).as(body + " → " + r.body()).isBetween(400, 499);
            assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(admin.patchJson("/admin/v1/users/" + UUID.randomUUID(), "{\"name\":\"x\"}", "Authorization", auth).status()).isEqualTo(404);
        assertThat(admin.patchJson("/admin/v1/users/" + u.id(), "{\"name\":\"x\"}").status()).isEqualTo(401);
    }

    @Test
    void aVerifiedAddressIsSeenAtOnceOnTheOtherNode() throws Exception {
        User u = a.backend().accounts().signup(new SignupRequest("p-" + UUID.randomUUID() + "@example.test", "a perfectly fine passphrase",
                "Ada"), RequestContext.SYSTEM);
        assertThat(b.backend().liveSessions().user(u.id()).orElseThrow().emailVerified()).isFalse();
        assertThat(a.backend().users().markEmailVerified(u.id(), u.email(), java.time.Instant.now())).isTrue();
        eventually(() -> Boolean.toString(b.backend().liveSessions().user(u.id()).orElseThrow().emailVerified()), "true");
    }
}
