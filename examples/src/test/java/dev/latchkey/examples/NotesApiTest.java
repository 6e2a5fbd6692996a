package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.examples.notes.NoteStore;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The notes API over HTTP with real access tokens from a real Latchkey server, on a real PostgreSQL whose
 * row-level security policies alone decide whose notes a request sees (the SQL has no owner condition).
 */
class NotesApiTest {
    /** A generous bound: the feed delivers in milliseconds; this only keeps a broken build from hanging. */
    static final Duration WITHIN = Duration.ofSeconds(10);

    static TestLatchkey latchkey;
    static TestPostgres.Database db;
    static DemoApp app;
    static DemoApp singleConnection;
    static Http api;

    @BeforeAll
    static void start() throws Exception {
        latchkey = TestLatchkey.start();
        db = TestPostgres.createDatabase();
        String secret = latchkey.registerClient("""
                {"client_id":"demo-notes","grant_types":["client_credentials"],"scope":"latchkey:revocations"}""");
        DemoConfig config = DemoConfig.of(latchkey.base, "http://127.0.0.1:9", db.jdbcUrl(), 0).withFeed("demo-notes", secret);
        app = DemoApp.start(config);
        assertThat(app.feed().orElseThrow().awaitReady(WITHIN)).as("revocation feed ready").isTrue();
        singleConnection = DemoApp.start(config.withPoolSize(1));
        api = new Http("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        for (DemoApp a : new DemoApp[] {singleConnection, app}) {
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

    static JsonNode create(Http on, TestLatchkey.User u, String title) {
        Http.Response r = on.postJson("/api/notes", "{\"title\":\"" + title + "\",\"body\":\"text of " + title + "\"}", bearer(u));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/api/notes/" + r.json().get("id").asText());
        return r.json();
    }

    static List<String> titles(Http on, TestLatchkey.User u) {
        Http.Response r = on.get("/api/notes", bearer(u));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        r.json().get("notes").forEach(n -> titles.add(n.get("title").asText()));
        return titles;
    }

    static Set<String> owners(Http.Response list) {
        Set<String> owners = new HashSet<>();
        list.json().get("notes").forEach(n -> owners.add(n.get("owner_id").asText()));
        return owners;
    }

    static long ownedRows(String ownerId) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM demo.notes WHERE owner_id = '" + ownerId + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void aUserCannotReadChangeOrDeleteAnotherUsersNotes() throws Exception {
        TestLatchkey.User alice = latchkey.signUp("Alice");
        TestLatchkey.User bob = latchkey.signUp("Bob");
        create(api, alice, "alice one");
        String aliceTwo = create(api, alice, "alice two").get("id").asText();
        JsonNode bobs = create(api, bob, "bob secret");
        String bobId = bobs.get("id").asText();
        assertThat(bobs.get("owner_id").asText()).isEqualTo(bob.id());

        assertThat(titles(api, alice)).containsExactly("alice two", "alice one");
        assertThat(titles(api, bob)).containsExactly("bob secret");

        assertThat(api.get("/api/notes/" + bobId, bearer(alice)).status()).isEqualTo(404);
        Http.Response put = api.putJson("/api/notes/" + bobId, "{\"title\":\"pwned\",\"body\":\"\"}", bearer(alice));
        assertThat(put.status()).isEqualTo(404);
        assertThat(put.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(api.delete("/api/notes/" + bobId, bearer(alice)).status()).isEqualTo(404);
        Http.Response stillThere = api.get("/api/notes/" + bobId, bearer(bob));
        assertThat(stillThere.status()).isEqualTo(200);
        assertThat(stillThere.json().get("title").asText()).isEqualTo("bob secret");

        // the owner can do all of it
        Http.Response changed = api.putJson("/api/notes/" + aliceTwo, "{\"title\":\"alice 2\",\"body\":\"new\"}", bearer(alice));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("body").asText()).isEqualTo("new");
        assertThat(api.get("/api/notes/" + aliceTwo, bearer(alice)).json().get("title").asText()).isEqualTo("alice 2");
        assertThat(api.delete("/api/notes/" + aliceTwo, bearer(alice)).status()).isEqualTo(204);
        assertThat(api.get("/api/notes/" + aliceTwo, bearer(alice)).status()).isEqualTo(404);
        assertThat(api.delete("/api/notes/" + aliceTwo, bearer(alice)).status()).isEqualTo(404);
        assertThat(titles(api, alice)).containsExactly("alice one");
    }

    @Test
    void atTheSqlLevelTheBridgeShowsAnIdentityOnlyItsRowsAndNoIdentityNothing() throws Exception {
        TestLatchkey.User carol = latchkey.signUp("Carol");
        TestLatchkey.User dan = latchkey.signUp("Dan");
        create(api, carol, "c1");
        create(api, carol, "c2");
        create(api, dan, "d1");
        long everything;
        try (Connection superuser = db.connect(); Statement s = superuser.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM demo.notes")) {
            r.next();
            everything = r.getLong(1);
        }
        assertThat(everything).as("the rows exist").isGreaterThanOrEqualTo(3);

        NoteStore store = app.notes();
        assertThat(store.count(identity(carol))).isEqualTo(2).isEqualTo(ownedRows(carol.id()));
        assertThat(store.count(identity(dan))).isEqualTo(1);
        try (Connection nobody = app.dataSource().getConnection()) {   // no principal bound on this thread
            nobody.setAutoCommit(false);
            assertThat(NoteStore.count(nobody)).isZero();
            nobody.rollback();
        }
        try (Connection c = app.dataSource().getConnection(identity(carol)); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // the same "forgot the WHERE clause" statements, as the app's role: only Carol's rows are touched
            assertThat(s.executeUpdate("UPDATE demo.notes SET body = 'overwritten'")).isEqualTo(2);
            c.rollback();
        }
    }

    static DatabaseIdentity identity(TestLatchkey.User u) {
        return new DatabaseIdentity(u.id(), Optional.empty(), Set.of(), "{\"sub\":\"" + u.id() + "\"}");
    }

    @Test
    void anOrgAdminSeesTheOrgsNotesAndAMemberOnlyTheirOwn() {
        String org = latchkey.createOrg("Acme");
        TestLatchkey.User admin = latchkey.signUp("Ann Admin");
        TestLatchkey.User m1 = latchkey.signUp("Mel");
        TestLatchkey.User m2 = latchkey.signUp("Max");
        TestLatchkey.User outsider = latchkey.signUp("Otto");
        latchkey.setRoles(org, admin, "admin");
        latchkey.setRoles(org, m1, "member");
        latchkey.setRoles(org, m2, "member");
        admin = latchkey.logIn(admin);
        m1 = latchkey.logIn(m1);
        m2 = latchkey.logIn(m2);

        JsonNode m1Note = create(api, m1, "mel in acme");
        assertThat(m1Note.get("org_id").asText()).isEqualTo(org);
        create(api, m2, "max in acme");
        create(api, admin, "ann in acme");
        create(api, outsider, "otto alone");

        assertThat(titles(api, admin)).containsExactlyInAnyOrder("mel in acme", "max in acme", "ann in acme");
        assertThat(titles(api, m1)).containsExactly("mel in acme");
        assertThat(titles(api, m2)).containsExactly("max in acme");
        assertThat(titles(api, outsider)).containsExactly("otto alone");

        String m1Id = m1Note.get("id").asText();
        assertThat(api.get("/api/notes/" + m1Id, bearer(admin)).status()).isEqualTo(200);
        assertThat(api.get("/api/notes/" + m1Id, bearer(m2)).status()).isEqualTo(404);
        // the admin policy reads; it does not write someone else's note
        assertThat(api.putJson("/api/notes/" + m1Id, "{\"title\":\"edited by admin\"}", bearer(admin)).status()).isEqualTo(404);
        assertThat(api.delete("/api/notes/" + m1Id, bearer(admin)).status()).isEqualTo(404);
        assertThat(titles(api, m1)).containsExactly("mel in acme");
    }

    @Test
    void onOneConnectionAlternatingAndConcurrentRequestsNeverSeeEachOthersNotes() throws Exception {
        Http one = new Http("http://127.0.0.1:" + singleConnection.port());
        TestLatchkey.User eve = latchkey.signUp("Eve");
        TestLatchkey.User finn = latchkey.signUp("Finn");
        create(one, eve, "eve");
        create(one, finn, "finn");
        for (int i = 0; i < 20; i++) {
            TestLatchkey.User who = i % 2 == 0 ? eve : finn;
            Http.Response r = one.get("/api/notes", bearer(who));
            assertThat(owners(r)).containsExactly(who.id());
            create(one, who, (who == eve ? "eve " : "finn ") + i);
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Set<String>>> seen = new ArrayList<>();
            List<TestLatchkey.User> askers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                TestLatchkey.User who = i % 2 == 0 ? eve : finn;
                askers.add(who);
                seen.add(pool.submit(() -> {
                    if (who == finn) {
                        create(one, who, "finn concurrent");
                    }
                    return owners(one.get("/api/notes", bearer(who)));
                }));
            }
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i).get()).as("request " + i).containsExactly(askers.get(i).id());
            }
        }
        assertThat(titles(one, eve)).hasSize(11).allMatch(t -> t.startsWith("eve"));
        assertThat(titles(one, finn)).hasSize(11 + 30).allMatch(t -> t.startsWith("finn"));
    }

    @Test
    void aDisabledUsersTokenIsRefusedWithinSeconds() throws Exception {
        TestLatchkey.User victim = latchkey.signUp("Vic");
        TestLatchkey.User bystander = latchkey.signUp("Bea");
        create(api, victim, "before");
        assertThat(api.get("/api/notes", bearer(victim)).status()).isEqualTo(200);

        latchkey.disable(victim);

        long deadline = System.nanoTime() + WITHIN.toNanos();
        Http.Response r;
        while ((r = api.get("/api/notes", bearer(victim))).status() == 200) {
            assertThat(System.nanoTime()).as("refused within " + WITHIN).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).contains("error=\"invalid_token\"").contains("revoked");
        assertThat(api.postJson("/api/notes", "{\"title\":\"after\"}", bearer(victim)).status()).isEqualTo(401);
        assertThat(api.get("/api/notes", bearer(bystander)).status()).isEqualTo(200);
    }

    @Test
    void missingBadForgedOrMisaddressedTokensAre401() throws Exception {
        Http.Response none = api.get("/api/notes");
        assertThat(none.status()).isEqualTo(401);
        // RFC 6750 §3.1: a request without credentials gets a challenge without an error code
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"notes\"");
        assertThat(none.header("Content-Type")).isEqualTo("application/problem+json");

        TestLatchkey.User u = latchkey.signUp("Uma");
        SignedJWT real = SignedJWT.parse(u.token());
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID(real.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID(other.getKeyID()).build(), real.getJWTClaimsSet());
        forged.sign(new ECDSASigner(other));
        String otherAudSecret = latchkey.registerClient("""
                {"client_id":"billing-job","grant_types":["client_credentials"],"audiences":["billing-api"]}""");
        String wrongAudience = latchkey.clientToken("billing-job", otherAudSecret);
        assertThat(real.getJWTClaimsSet().getAudience()).containsExactly(latchkey.base);
        JWTClaimsSet tampered = new JWTClaimsSet.Builder(real.getJWTClaimsSet()).subject(TestLatchkey.subjectOf(latchkey.signUp("Zed").token())).build();
        String tamperedToken = real.getParsedParts()[0] + "." + com.nimbusds.jose.util.Base64URL.encode(tampered.toString()) + "."
                + real.getParsedParts()[2];

        for (String token : new String[] {"garbage", forged.serialize(), wrongAudience, tamperedToken, u.token() + "x"}) {
            Http.Response r = api.get("/api/notes", "Authorization", "Bearer " + token);
            assertThat(r.status()).as(token).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(token).startsWith("Bearer realm=\"notes\", error=\"invalid_token\"");
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.json().get("status").asInt()).isEqualTo(401);
        }
        assertThat(api.get("/api/notes", bearer(u)).status()).as("control").isEqualTo(200);
    }

    @Test
    void aClientsOwnTokenIsNoUserAndIsForbiddenOnEveryRoute() throws Exception {
        TestLatchkey.User alice = latchkey.signUp("Alice");
        String note = create(api, alice, "alice's").get("id").asText();
        String secret = latchkey.registerClient("""
                {"client_id":"cron-job","grant_types":["client_credentials"]}""");
        String token = latchkey.clientToken("cron-job", secret);
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("sub_type")).isEqualTo("client");
        String[] auth = {"Authorization", "Bearer " + token};
        String body = "{\"title\":\"machine\"}";
        for (Http.Response r : List.of(api.get("/api/notes", auth), api.postJson("/api/notes", body, auth),
                api.get("/api/notes/" + note, auth), api.putJson("/api/notes/" + note, body, auth), api.delete("/api/notes/" + note, auth))) {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        }
        assertThat(titles(api, alice)).containsExactly("alice's");
        assertThat(ownedRows(alice.id())).isEqualTo(1);
    }

    /** The impersonation of issue 9: a client registered under a user's id would have had tokens with that user's sub. */
    @Test
    void noClientCanBeRegisteredUnderAUsersId() throws Exception {
        TestLatchkey.User victim = latchkey.signUp("Vera");
        create(api, victim, "vera's");
        for (String id : List.of(victim.id(), victim.id().toUpperCase(), victim.id().replace("-", ""))) {
            Http.Response r = new Http(latchkey.base).postJson("/admin/v1/clients", """
                    {"client_id":"%s","grant_types":["client_credentials"]}""".formatted(id),
                    "Authorization", "Bearer " + TestLatchkey.ADMIN_KEY);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("client_id must not look like a UUID");
        }
        assertThat(titles(api, victim)).containsExactly("vera's");
    }

    @Test
    void badInputIsAClear4xxProblemNeverA500() {
        TestLatchkey.User u = latchkey.signUp("Val");
        String[] auth = bearer(u);
        record Case(String contentType, String body, int status, String detail) {
        }
        String longTitle = "t".repeat(201);
        String longBody = "b".repeat(10_001);
        List<Case> cases = List.of(
                new Case(null, "{\"title\":\"x\"}", 415, "application/json"),
                new Case("text/plain", "{\"title\":\"x\"}", 415, "application/json"),
                new Case("application/json", "", 400, "body is empty"),
                new Case("application/json", "{\"title\":", 400, "not valid JSON"),
                new Case("application/json", "[]", 400, "JSON object"),
                new Case("application/json", "\"title\"", 400, "JSON object"),
                new Case("application/json", "{\"title\":\"a\"} {}", 400, "not valid JSON"),
                new Case("application/json", "{\"title\":\"a\",\"owner_id\":\"" + u.id() + "\"}", 400, "Unknown field 'owner_id'"),
                new Case("application/json", "{\"title\":\"a\",\"title\":\"b\"}", 400, "duplicate"),
                new Case("application/json", "{\"title\":5}", 400, "'title' must be a string"),
                new Case("application/json", "{\"title\":\"a\",\"body\":[]}", 400, "'body' must be a string"),
                new Case("application/json", "{\"body\":\"no title\"}", 400, "'title' is required"),
                new Case("application/json", "{\"title\":\"   \"}", 400, "'title' is required"),
                new Case("application/json", "{\"title\":\"" + longTitle + "\"}", 400, "longer than 200"),
                new Case("application/json", "{\"title\":\"a\",\"body\":\"" + longBody + "\"}", 400, "longer than 10000"),
                new Case("application/json", "{\"title\":\"nul\\u0000\"}", 400, "NUL"),
                new Case("application/json", "{\"title\":\"half \\ud800 pair\"}", 400, "unpaired surrogate"),
                new Case("application/json", "{\"title\":\"x\",\"body\":\"\\udc00\"}", 400, "'body' is not valid Unicode"),
                new Case("application/json", "[".repeat(5000) + "]".repeat(5000), 400, "not valid JSON"),
                new Case("application/json", "{\"title\":\"" + "x".repeat(70_000) + "\"}", 413, null));
        for (Case c : cases) {
            Http.Response r = c.contentType() == null
                    ? api.post("/api/notes", null, c.body(), auth)
                    : api.post("/api/notes", c.contentType(), c.body(), auth);
            assertThat(r.status()).as(c.body().substring(0, Math.min(60, c.body().length()))).isEqualTo(c.status());
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            if (c.detail() != null) {
                assertThat(r.json().get("detail").asText()).containsIgnoringCase(c.detail());
            }
        }
        assertThat(api.get("/api/notes/not-a-uuid", auth).status()).isEqualTo(404);
        Http.Response unknown = api.get("/api/nothing-here", auth);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(api.get("/api/notes/00000000-0000-0000-0000-00000000000g", auth).status()).isEqualTo(404);
        assertThat(api.putJson("/api/notes/not-a-uuid", "{\"title\":\"x\"}", auth).status()).isEqualTo(404);
        assertThat(api.send(api.request("/api/notes", auth).method("PATCH", java.net.http.HttpRequest.BodyPublishers.noBody())).status())
                .isIn(404, 405);
        // a title exactly at the limits, with characters outside the BMP counted once
        String emoji = "\uD83D\uDE00".repeat(200);
        Http.Response ok = api.postJson("/api/notes", "{\"title\":\"" + emoji + "\",\"body\":\"<b>kept as text</b>\"}", auth);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().get("body").asText()).isEqualTo("<b>kept as text</b>");
        assertThat(titles(api, u)).containsExactly(emoji);
    }
}
