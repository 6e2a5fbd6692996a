package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.examples.notes.NoteInput;
import dev.latchkey.examples.notes.NoteStore;
import dev.latchkey.examples.notes.Visibility;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Organization notes over HTTP with real access tokens from a real Latchkey server (switched between organizations with
 * {@code POST /api/auth/org}, as the gateway does), on a real PostgreSQL whose policies (migration 5) decide with
 * {@code latchkey.org_id()} and {@code latchkey.has_permission('notes:write')}: a note of organization A is read by A's
 * members while their token names A, by nobody while it names B; writing one needs {@code notes:write} in it.
 */
class OrgNotesTest {
    static TestLatchkey latchkey;
    static TestPostgres.Database db;
    static DemoApp app;
    static Http api;

    @BeforeAll
    static void start() {
        latchkey = TestLatchkey.start();
        db = TestPostgres.createDatabase();
        app = DemoApp.start(DemoConfig.of(latchkey.base, "http://127.0.0.1:9", db.jdbcUrl(), 0));
        api = new Http("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (db != null) {
            db.close();
        }
        latchkey.close();
    }

    static String[] bearer(TestLatchkey.User u) {
        return new String[] {"Authorization", "Bearer " + u.token()};
    }

    static JsonNode create(TestLatchkey.User u, String title, String visibility) {
        Http.Response r = api.postJson("/api/notes", "{\"title\":\"" + title + "\",\"body\":\"text\",\"visibility\":\"" + visibility + "\"}",
                bearer(u));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    static List<String> titles(TestLatchkey.User u) {
        Http.Response r = api.get("/api/notes", bearer(u));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        r.json().get("notes").forEach(n -> titles.add(n.get("title").asText()));
        return titles;
    }

    /** Two organizations, each with its own role writer = notes:write. */
    static String[] twoOrgs() {
        String a = latchkey.createOrg("Acme");
        String b = latchkey.createOrg("Globex");
        latchkey.defineRole(a, "writer", "notes:write");
        latchkey.defineRole(b, "writer", "notes:write");
        return new String[] {a, b};
    }

    static long rows(String where) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM demo.notes WHERE " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void anOrgNoteIsReadInItsOrganizationOnlyAndIsGoneAfterSwitchingToAnother() {
        String[] orgs = twoOrgs();
        TestLatchkey.User ada = latchkey.signUp("Ada");
        TestLatchkey.User bob = latchkey.signUp("Bob");
        TestLatchkey.User cy = latchkey.signUp("Cy");
        TestLatchkey.User otto = latchkey.signUp("Otto");
        latchkey.setRoles(orgs[0], ada, "writer");
        latchkey.setRoles(orgs[1], ada, "writer");
        latchkey.setRoles(orgs[0], bob);                      // a member without roles: reads the org's notes
        latchkey.setRoles(orgs[1], cy, "writer");
        TestLatchkey.User adaInA = latchkey.inOrg(ada, orgs[0]);
        TestLatchkey.User bobInA = latchkey.inOrg(bob, orgs[0]);
        TestLatchkey.User cyInB = latchkey.inOrg(cy, orgs[1]);
        otto = latchkey.logIn(otto);

        JsonNode plan = create(adaInA, "acme plan", "org");
        assertThat(plan.get("visibility").asText()).isEqualTo("org");
        assertThat(plan.get("org_id").asText()).isEqualTo(orgs[0]);
        create(adaInA, "ada private", "private");
        assertThat(titles(adaInA)).containsExactly("ada private", "acme plan");
        assertThat(titles(bobInA)).as("another member of A").containsExactly("acme plan");
        assertThat(titles(cyInB)).as("a member of B only").isEmpty();
        assertThat(titles(otto)).as("no organization").isEmpty();

        // the same user, switched to B: A's note is gone (even for its author); the private note stays hers everywhere
        TestLatchkey.User adaInB = latchkey.inOrg(ada, orgs[1]);
        String planId = plan.get("id").asText();
        assertThat(titles(adaInB)).containsExactly("ada private");
        assertThat(api.get("/api/notes/" + planId, bearer(adaInB)).status()).isEqualTo(404);
        assertThat(api.putJson("/api/notes/" + planId, "{\"title\":\"from B\"}", bearer(adaInB)).status()).isEqualTo(404);
        assertThat(api.delete("/api/notes/" + planId, bearer(adaInB)).status()).isEqualTo(404);

        create(adaInB, "globex plan", "org");
        assertThat(titles(cyInB)).containsExactly("globex plan");
        assertThat(titles(adaInB)).containsExactly("globex plan", "ada private");
        TestLatchkey.User adaBackInA = latchkey.inOrg(ada, orgs[0]);
        assertThat(titles(adaBackInA)).as("switched back").containsExactly("ada private", "acme plan");
        assertThat(titles(bobInA)).containsExactly("acme plan");

        // a writer of A edits and deletes A's note, whoever wrote it
        TestLatchkey.User cyInA;
        latchkey.setRoles(orgs[0], cy, "writer");
        cyInA = latchkey.inOrg(cy, orgs[0]);
        Http.Response edited = api.putJson("/api/notes/" + planId, "{\"title\":\"acme plan v2\"}", bearer(cyInA));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().get("owner_id").asText()).as("the author stays").isEqualTo(ada.id());
        assertThat(titles(bobInA)).containsExactly("acme plan v2");
        assertThat(api.delete("/api/notes/" + planId, bearer(cyInA)).status()).isEqualTo(204);
        assertThat(titles(adaBackInA)).containsExactly("ada private");
    }

    @Test
    void withoutNotesWriteAnOrgNoteIsRefusedClearlyAndNothingChanges() throws Exception {
        String[] orgs = twoOrgs();
        TestLatchkey.User ada = latchkey.signUp("Ada");
        TestLatchkey.User bob = latchkey.signUp("Bob");
        TestLatchkey.User otto = latchkey.signUp("Otto");
        latchkey.setRoles(orgs[0], ada, "writer");
        latchkey.setRoles(orgs[0], bob);
        TestLatchkey.User adaInA = latchkey.inOrg(ada, orgs[0]);
        TestLatchkey.User bobInA = latchkey.inOrg(bob, orgs[0]);
        otto = latchkey.logIn(otto);
        String planId = create(adaInA, "acme plan", "org").get("id").asText();

        Http.Response refused = api.postJson("/api/notes", "{\"title\":\"bob's\",\"visibility\":\"org\"}", bearer(bobInA));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(refused.json().get("code").asText()).isEqualTo("permission_required");
        assertThat(refused.json().get("detail").asText()).contains("notes:write");
        assertThat(rows("owner_id = '" + bob.id() + "'")).isZero();
        for (Http.Response r : new Http.Response[] {
                api.putJson("/api/notes/" + planId, "{\"title\":\"bob was here\"}", bearer(bobInA)),
                api.delete("/api/notes/" + planId, bearer(bobInA))}) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json().get("code").asText()).isEqualTo("permission_required");
        }
        assertThat(titles(bobInA)).containsExactly("acme plan");
        assertThat(create(bobInA, "bob private", "private").get("visibility").asText()).as("his own notes he writes").isEqualTo("private");

        Http.Response noOrg = api.postJson("/api/notes", "{\"title\":\"x\",\"visibility\":\"org\"}", bearer(otto));
        assertThat(noOrg.status()).isEqualTo(400);
        assertThat(noOrg.json().get("code").asText()).isEqualTo("no_organization");
        Http.Response bad = api.postJson("/api/notes", "{\"title\":\"x\",\"visibility\":\"public\"}", bearer(adaInA));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("'visibility' must be 'private' or 'org'");
        Http.Response change = api.putJson("/api/notes/" + planId, "{\"title\":\"x\",\"visibility\":\"private\"}", bearer(adaInA));
        assertThat(change.status()).isEqualTo(400);
        assertThat(change.json().get("detail").asText()).contains("cannot change");
        Http.Response share = api.putJson("/api/notes/" + planId + "/shares", "{\"with\":\"user:" + otto.id() + "\",\"relation\":\"viewer\"}",
                bearer(adaInA));
        assertThat(share.status()).as("an org note is its members', never shared out: " + share.body()).isEqualTo(409);
        assertThat(share.json().get("code").asText()).isEqualTo("org_note");
        assertThat(rows("id = '" + planId + "' AND visibility = 'org' AND title = 'acme plan'")).isOne();
    }

    /** Below the API: the policies themselves refuse, whatever the application code does. */
    @Test
    void atTheSqlLevelThePoliciesUseTheTokensOrganizationAndPermissions() throws Exception {
        NoteStore store = app.notes();
        String user = UUID.randomUUID().toString();
        String orgA = UUID.randomUUID().toString();
        String orgB = UUID.randomUUID().toString();
        DatabaseIdentity writerInA = identity(user, orgA, "[\"notes:write\"]");
        DatabaseIdentity readerInA = identity(UUID.randomUUID().toString(), orgA, "[]");
        DatabaseIdentity sameUserInB = identity(user, orgB, "[\"notes:write\"]");

        var note = store.create(writerInA, new NoteInput("sql org note", "", Optional.of(Visibility.ORG)));
        assertThat(note.orgId()).contains(orgA);
        assertThat(store.find(readerInA, note.id())).isPresent();
        assertThat(store.find(sameUserInB, note.id())).as("another organization, the same user").isEmpty();
        assertThat(store.count(sameUserInB)).isZero();
        assertThat(store.replace(readerInA, note.id(), new NoteInput("changed", ""))).isEmpty();
        assertThat(store.delete(readerInA, note.id())).isFalse();
        assertThatThrownBy(() -> store.create(readerInA, new NoteInput("refused", "", Optional.of(Visibility.ORG))))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(NoteStore.isPolicyRefusal(e)).isTrue();
                    assertThat(e.getMessage()).contains("row-level security");
                });
        DatabaseIdentity noOrg = new DatabaseIdentity(user, Optional.empty(), Set.of(), "{\"sub\":\"" + user + "\",\"permissions\":[\"notes:write\"]}");
        assertThatThrownBy(() -> store.create(noOrg, new NoteInput("nowhere", "", Optional.of(Visibility.ORG))))
                .as("an org note needs an organization").isInstanceOf(SQLException.class);
        assertThat(rows("title IN ('refused', 'nowhere', 'changed')")).isZero();
    }

    static DatabaseIdentity identity(String user, String org, String permissions) {
        return new DatabaseIdentity(user, Optional.of(org), Set.of(),
                "{\"sub\":\"" + user + "\",\"org\":\"" + org + "\",\"permissions\":" + permissions + "}");
    }
}
