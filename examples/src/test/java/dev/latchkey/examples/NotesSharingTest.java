package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sharing notes through relations: the owner shares with a user or with an organization's group, as viewer or
 * editor; the notes SQL has no WHERE and PostgreSQL row-level security ({@code latchkey.check}) decides; a share or
 * unshare shows on the node that made it at once, and on another app node within the mirror's interval.
 */
class NotesSharingTest {
    /** Generous: the mirror follows every second; this only keeps a broken build from hanging. */
    static final Duration WITHIN = Duration.ofSeconds(30);

    static TestLatchkey latchkey;
    static TestPostgres.Database db;
    static DemoApp app;
    static DemoApp otherNode;
    static Http api;
    static Http other;
    static TestLatchkey.User alice;
    static TestLatchkey.User bob;
    static TestLatchkey.User carol;
    static TestLatchkey.User dave;
    static TestLatchkey.User eve;

    @BeforeAll
    static void start() {
        latchkey = TestLatchkey.start();
        db = TestPostgres.createDatabase();
        String secret = latchkey.registerClient("""
                {"client_id":"demo-notes","grant_types":["client_credentials"],"scope":"latchkey:revocations latchkey:fga"}""");
        DemoConfig config = DemoConfig.of(latchkey.base, "http://127.0.0.1:9", db.jdbcUrl(), 0).withFeed("demo-notes", secret);
        app = DemoApp.start(config);
        otherNode = DemoApp.start(config);
        assertThat(app.relations()).as("sharing on").isPresent();
        api = new Http("http://127.0.0.1:" + app.port());
        other = new Http("http://127.0.0.1:" + otherNode.port());
        String org = latchkey.createOrg("Acme");
        alice = latchkey.signUp("Alice");
        carol = latchkey.signUp("Carol");
        dave = latchkey.signUp("Dave");
        latchkey.setRoles(org, alice, "member");
        latchkey.setRoles(org, carol, "member");
        latchkey.setRoles(org, dave, "admin");
        alice = latchkey.logIn(alice);
        carol = latchkey.logIn(carol);
        dave = latchkey.logIn(dave);
        bob = latchkey.signUp("Bob");
        eve = latchkey.signUp("Eve");
    }

    @AfterAll
    static void stop() {
        for (DemoApp a : new DemoApp[] {otherNode, app}) {
            if (a != null) {
                a.close();
            }
        }
        if (db != null) {
            db.close();
        }
        latchkey.close();
    }

    static String[] bearer(TestLatchkey.User u) {
        return new String[] {"Authorization", "Bearer " + u.token()};
    }

    static String create(TestLatchkey.User u, String title) {
        Http.Response r = api.postJson("/api/notes", "{\"title\":\"" + title + "\",\"body\":\"b\"}", bearer(u));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    static Http.Response send(Http on, String method, String path, String json, TestLatchkey.User u) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(on.base + path)).header("Authorization", "Bearer " + u.token());
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return on.send(b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    static Http.Response share(String method, String note, String with, String relation) {
        return send(api, method, "/api/notes/" + note + "/shares", "{\"with\":\"" + with + "\",\"relation\":\"" + relation + "\"}", alice);
    }

    static List<String> listed(Http on, TestLatchkey.User u) {
        Http.Response r = on.get("/api/notes", bearer(u));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        r.json().get("notes").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    static int get(TestLatchkey.User u, String note) {
        return api.get("/api/notes/" + note, bearer(u)).status();
    }

    @Test
    void sharingWithAUserAsViewerThenEditorThenUnsharing() {
        String note = create(alice, "plans");
        assertThat(get(bob, note)).isEqualTo(404);
        Http.Response shared = share("PUT", note, "user:" + bob.id(), "viewer");
        assertThat(shared.status()).as(shared.body()).isEqualTo(200);
        assertThat(shared.json().get("shares").toString()).contains("user:" + bob.id(), "viewer");
        assertThat(get(bob, note)).isEqualTo(200);
        assertThat(listed(api, bob)).contains(note);
        assertThat(listed(api, eve)).doesNotContain(note);
        assertThat(get(eve, note)).isEqualTo(404);
        String edit = "{\"title\":\"bob was here\",\"body\":\"\"}";
        assertThat(send(api, "PUT", "/api/notes/" + note, edit, bob).status()).as("a viewer cannot edit").isEqualTo(404);
        assertThat(send(api, "GET", "/api/notes/" + note + "/shares", null, bob).status()).as("only the owner sees shares").isEqualTo(403);
        assertThat(send(api, "PUT", "/api/notes/" + note + "/shares", "{\"with\":\"user:" + eve.id() + "\",\"relation\":\"viewer\"}", bob).status())
                .as("only the owner shares").isEqualTo(403);

        share("PUT", note, "user:" + bob.id(), "editor");
        Http.Response edited = send(api, "PUT", "/api/notes/" + note, edit, bob);
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("owner_id").asText()).isEqualTo(alice.id());
        assertThat(send(api, "DELETE", "/api/notes/" + note, null, bob).status()).as("an editor does not delete").isEqualTo(404);

        share("DELETE", note, "user:" + bob.id(), "editor");
        share("DELETE", note, "user:" + bob.id(), "viewer");
        assertThat(get(bob, note)).as("unsharing takes effect at once on this node").isEqualTo(404);
        assertThat(get(alice, note)).isEqualTo(200);
    }

    @Test
    void sharingWithAnOrganizationsGroup() {
        String note = create(alice, "roadmap");
        assertThat(send(api, "PUT", "/api/notes/groups/eng/members/" + carol.id(), null, alice).status()).as("members do not manage groups")
                .isEqualTo(403);
        assertThat(send(api, "PUT", "/api/notes/groups/eng/members/" + carol.id(), null, dave).status()).isEqualTo(204);
        assertThat(share("PUT", note, "group:eng", "viewer").status()).isEqualTo(200);
        assertThat(get(carol, note)).isEqualTo(200);
        assertThat(api.get("/api/notes/groups/mine", bearer(carol)).json().get("groups").toString()).isEqualTo("[\"eng\"]");
        assertThat(get(dave, note)).as("not in the group, but an org admin reads the org's notes (V2's policy)").isEqualTo(200);
        assertThat(get(bob, note)).isEqualTo(404);
        assertThat(send(api, "DELETE", "/api/notes/groups/eng/members/" + carol.id(), null, dave).status()).isEqualTo(204);
        assertThat(get(carol, note)).isEqualTo(404);
        assertThat(share("PUT", note, "group:eng", "viewer").status()).as("idempotent").isEqualTo(200);
        assertThat(send(api, "PUT", "/api/notes/" + create(bob, "mine") + "/shares", "{\"with\":\"group:eng\",\"relation\":\"viewer\"}", bob)
                .status()).as("bob has no organization").isEqualTo(400);
    }

    @Test
    void anotherNodeSeesSharesAndUnsharesWithinTheMirrorsInterval() throws Exception {
        String note = create(alice, "cross-node");
        share("PUT", note, "user:" + eve.id(), "viewer");
        eventually(() -> listed(other, eve).contains(note));
        assertThat(listed(other, eve)).contains(note);
        share("DELETE", note, "user:" + eve.id(), "viewer");
        eventually(() -> !listed(other, eve).contains(note));
        assertThat(listed(other, eve)).doesNotContain(note);
    }

    @Test
    void badSharesAreSpecificClientErrors() {
        String note = create(alice, "strict");
        for (String body : List.of("{\"with\":\"user:not-a-uuid\",\"relation\":\"viewer\"}", "{\"with\":\"user:" + bob.id() + "\",\"relation\":\"owner\"}",
                "{\"with\":\"team:x\",\"relation\":\"viewer\"}", "{\"with\":\"group:Bad Name\",\"relation\":\"viewer\"}",
                "{\"with\":\"user:" + bob.id() + "\",\"relation\":\"viewer\",\"extra\":1}", "not json", "[]")) {
            Http.Response r = send(api, "PUT", "/api/notes/" + note + "/shares", body, alice);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
        }
        assertThat(send(api, "PUT", "/api/notes/00000000-0000-0000-0000-000000000000/shares",
                "{\"with\":\"user:" + bob.id() + "\",\"relation\":\"viewer\"}", alice).status()).isEqualTo(404);
        JsonNode none = api.get("/api/notes/" + note + "/shares", bearer(alice)).json();
        assertThat(none.get("shares")).isEmpty();
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
