package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.sdk.relations.RelationMirror;
import dev.latchkey.sdk.relations.RelationsClient;
import dev.latchkey.sdk.relations.RelationsSchema;
import dev.latchkey.sdk.relations.Tuple;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.sdk.rls.IdentityDataSource;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relations down to PostgreSQL row-level security: a real Latchkey holds the tuples, the SDK's {@link RelationMirror}
 * copies them into an application database, and a policy {@code USING (latchkey.check('doc', id, 'viewer'))} decides
 * which rows a plain {@code SELECT * FROM docs} returns for the transaction's verified user (the SDK's RLS bridge).
 */
class RelationMirrorRlsTest {
    static final String ADMIN_KEY = "lka_relation-mirror-test-bootstrap-key-0123456789";
    static final String ALICE = "0190f2a4-7b1c-7cc2-9a57-00000000a11c";
    static final String BOB = "0190f2a4-7b1c-7cc2-9a57-000000000b0b";
    static final String CAROL = "0190f2a4-7b1c-7cc2-9a57-00000000ca01";
    static final String DAVE = "0190f2a4-7b1c-7cc2-9a57-00000000da7e";
    static final String MODEL = """
            model
              schema 1.1
            type user
            type group
              relations
                define member: [user]
            type doc
              relations
                define owner: [user]
                define blocked: [user, user with positive]
                define editor: [user, group#member] or owner
                define viewer: ([user, user:*, group#member] or editor) but not blocked
            condition positive(x: int) {
              x > 0
            }
            """;
    static TestServer server;
    static TestPostgres.Database appDb;
    static HikariDataSource admin;
    static HikariDataSource app;
    static IdentityDataSource identities;
    static RelationsClient fga;
    static RelationMirror mirror;

    @BeforeAll
    static void start() throws SQLException {
        server = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        Http http = new Http(server.base);
        JsonNode c = http.postJson("/admin/v1/clients", "{\"client_id\":\"mirror\",\"grant_types\":[\"client_credentials\"],"
                + "\"scope\":\"latchkey:fga\"}", "Authorization", "Bearer " + ADMIN_KEY).json();
        fga = RelationsClient.forStoreNamed(server.base, "mirror", c.get("client_secret").asText(), "docs", ModelJson.write(ModelDsl.parse(MODEL)));
        appDb = TestPostgres.createDatabase();
        String role = "lk_docs_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection a = appDb.connect(); Statement s = a.createStatement()) {
            RelationsSchema.install(a);
            RelationsSchema.install(a); // idempotent
            s.execute("CREATE ROLE " + role + " NOLOGIN NOSUPERUSER NOBYPASSRLS");
            s.execute("GRANT " + role + " TO CURRENT_USER");
            s.execute("""
                    CREATE TABLE docs (id text PRIMARY KEY, body text NOT NULL);
                    ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE docs FORCE ROW LEVEL SECURITY;
                    CREATE POLICY docs_viewer ON docs FOR SELECT USING (latchkey.check('doc', id, 'viewer'));
                    CREATE POLICY docs_editor ON docs FOR UPDATE USING (latchkey.check('doc', id, 'editor'));
                    CREATE TABLE docs_set (id text PRIMARY KEY);
                    ALTER TABLE docs_set ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE docs_set FORCE ROW LEVEL SECURITY;
                    CREATE POLICY docs_set_viewer ON docs_set FOR SELECT USING (id IN (SELECT latchkey.objects('doc', 'viewer')));
                    INSERT INTO docs_set VALUES ('d1'), ('d2'), ('d3'), ('d4'), ('d5');
                    INSERT INTO docs VALUES ('d1', 'alice owns'), ('d2', 'eng group'), ('d3', 'public but carol blocked'),
                                            ('d4', 'bob edits'), ('d5', 'alice blocked under a condition');
                    """);
            s.execute("GRANT USAGE ON SCHEMA latchkey TO " + role);
            s.execute("GRANT SELECT, UPDATE ON docs TO " + role);
            s.execute("GRANT SELECT ON docs_set TO " + role);
        }
        admin = pool(appDb.jdbcUrl(), null);
        app = pool(appDb.jdbcUrl(), "SET ROLE " + role);
        identities = new IdentityDataSource(app);
        fga.write(List.of(new Tuple("doc:d1", "owner", "user:" + ALICE), new Tuple("doc:d2", "viewer", "group:eng#member"),
                new Tuple("group:eng", "member", "user:" + BOB), new Tuple("doc:d3", "viewer", "user:*"),
                new Tuple("doc:d3", "blocked", "user:" + CAROL), new Tuple("doc:d4", "editor", "user:" + BOB),
                new Tuple("doc:d5", "viewer", "user:" + ALICE)), List.of());
        // a conditional exclusion: CEL cannot run in PostgreSQL, so there it must exclude (fail closed)
        new Http(server.base).postJson("/fga/stores/" + fga.store() + "/write", "{\"writes\":{\"tuple_keys\":[{\"user\":\"user:" + ALICE
                + "\",\"relation\":\"blocked\",\"object\":\"doc:d5\",\"condition\":{\"name\":\"positive\"}}]}}", "Authorization", "Bearer " + ADMIN_KEY);
        mirror = new RelationMirror(fga, admin, Duration.ofMillis(200), Duration.ofSeconds(30), "user");
        mirror.syncNow();
    }

    @AfterAll
    static void stop() {
        if (mirror != null) {
            mirror.close();
        }
        app.close();
        admin.close();
        appDb.close();
        server.close();
    }

    static HikariDataSource pool(String url, String init) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(url);
        h.setMaximumPoolSize(3);
        if (init != null) {
            h.setConnectionInitSql(init);
        }
        return new HikariDataSource(h);
    }

    /** The rows of docs (per-row latchkey.check) the user sees; docs_set (latchkey.objects, once per statement) must agree. */
    static Set<String> visible(String user) throws SQLException {
        Set<String> perRow = rows(user, "docs");
        assertThat(rows(user, "docs_set")).as("latchkey.objects agrees with latchkey.check for " + user).isEqualTo(perRow);
        return perRow;
    }

    static Set<String> rows(String user, String table) throws SQLException {
        DatabaseIdentity who = new DatabaseIdentity(user, Optional.empty(), Set.of(), "{}");
        return identities.inTransaction(who, c -> {
            Set<String> ids = new TreeSet<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + table); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        });
    }

    @Test
    void eachUserSeesWhatIsSharedWithThemAndNothingElse() throws Exception {
        assertThat(visible(ALICE)).containsExactly("d1", "d3");
        assertThat(visible(BOB)).containsExactly("d2", "d3", "d4");
        assertThat(visible(CAROL)).isEmpty();
        assertThat(visible(DAVE)).containsExactly("d3");
        try (Connection c = app.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM docs")) {
            r.next();
            assertThat(r.getLong(1)).as("no identity, no rows").isZero();
        }
        // the database agrees with Latchkey's own check wherever no condition is involved
        for (String u : List.of(ALICE, BOB, CAROL, DAVE)) {
            for (String d : List.of("d1", "d2", "d3", "d4")) {
                assertThat(visible(u).contains(d)).as(u + " " + d).isEqualTo(fga.check("user:" + u, "viewer", "doc:" + d));
            }
        }
        int updated = identities.inTransaction(new DatabaseIdentity(ALICE, Optional.empty(), Set.of(), "{}"), c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE docs SET body = body || '!'");
            }
        });
        assertThat(updated).as("alice edits only what she owns").isEqualTo(1);
    }

    @Test
    void revokingAShareTakesEffectOnTheNextSyncAndFollowingCatchesUpByItself() throws Exception {
        fga.write(List.of(new Tuple("doc:d1", "viewer", "user:" + DAVE)), List.of());
        mirror.syncNow();
        assertThat(visible(DAVE)).contains("d1");
        fga.write(List.of(), List.of(new Tuple("doc:d1", "viewer", "user:" + DAVE)));
        mirror.syncNow();
        assertThat(visible(DAVE)).doesNotContain("d1");

        try (RelationMirror following = new RelationMirror(fga, admin, Duration.ofMillis(100), Duration.ofSeconds(30), "user").start()) {
            fga.write(List.of(), List.of(new Tuple("group:eng", "member", "user:" + BOB)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            // polled per row only: the mirror applies the change in the background, so two statements may straddle it
            while (rows(BOB, "docs").contains("d2") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(visible(BOB)).as("the revocation arrived without a manual sync").doesNotContain("d2");
        }
        fga.write(List.of(new Tuple("group:eng", "member", "user:" + BOB)), List.of());
        mirror.syncNow();
        assertThat(visible(BOB)).contains("d2");
    }

    @Test
    void aStaleMirrorGrantsNothing() throws Exception {
        assertThat(visible(ALICE)).isNotEmpty();
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE latchkey.fga_mirror SET synced_at = now() - interval '31 seconds'");
        }
        assertThat(visible(ALICE)).isEmpty();
        assertThat(visible(DAVE)).isEmpty();
        mirror.syncNow();
        assertThat(visible(ALICE)).containsExactly("d1", "d3");
    }
}
