package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.examples.notes.NotesDatabase;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration is checked as a whole before anything starts, and the app refuses a database where RLS would not apply. */
class StartupTest {

    @Test
    void everyConfigurationProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> DemoConfig.fromEnv(Map.of(
                "LATCHKEY_DEMO_ISSUER", "not a url",
                "LATCHKEY_DEMO_GATEWAY_URL", "http://localhost:8000/",
                "LATCHKEY_DEMO_HTTP_PORT", "eighty",
                "LATCHKEY_DEMO_DATABASE_POOL_SIZE", "0",
                "LATCHKEY_DEMO_FEED_CLIENT_ID", "demo-notes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("issuer")
                .hasMessageContaining("gatewayUrl")
                .hasMessageContaining("LATCHKEY_DEMO_HTTP_PORT")
                .hasMessageContaining("poolSize")
                .hasMessageContaining("database URL")
                .hasMessageContaining("FEED_CLIENT_SECRET");
    }

    @Test
    void environmentDefaultsFitLatchkeyDev() {
        DemoConfig c = DemoConfig.fromEnv(Map.of("LATCHKEY_DEMO_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/demo",
                "LATCHKEY_DEMO_DATABASE_PASSWORD", "s3cret-value", "LATCHKEY_DEMO_FEED_CLIENT_ID", "demo-notes",
                "LATCHKEY_DEMO_FEED_CLIENT_SECRET", "feed-s3cret"));
        assertThat(c.issuer()).isEqualTo("http://localhost:8080");
        assertThat(c.apiAudience()).isEqualTo("http://localhost:8080");
        assertThat(c.gatewayUrl()).isEqualTo("http://localhost:8000");
        assertThat(c.assertionAudience()).isEqualTo("latchkey-app");
        assertThat(c.port()).isEqualTo(8090);
        assertThat(c.feed()).isPresent();
        assertThat(c.toString()).doesNotContain("s3cret-value").doesNotContain("feed-s3cret");
    }

    @Test
    void theAppRefusesToServeNotesWhenTheTableLostForcedRowLevelSecurity() throws Exception {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            DemoConfig config = DemoConfig.of("http://127.0.0.1:9", "http://127.0.0.1:9", db.jdbcUrl(), 0);
            DemoApp.start(config).close();   // migrates
            DemoApp.start(config).close();   // and starts again on a migrated database (the role already exists)
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE demo.notes NO FORCE ROW LEVEL SECURITY");
            }
            assertThatThrownBy(() -> DemoApp.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("FORCE ROW LEVEL SECURITY");
        }
    }

    @Test
    void migrationsHaveTheirOwnHistoryAndTheAppRoleCannotBypassPolicies() throws Exception {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            DemoApp.start(DemoConfig.of("http://127.0.0.1:9", "http://127.0.0.1:9", db.jdbcUrl(), 0)).close();
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT string_agg(version || ':' || type, ',' ORDER BY installed_rank) FROM demo."
                        + NotesDatabase.HISTORY_TABLE + " WHERE success AND type <> 'SCHEMA'")) {
                    r.next();
                    assertThat(r.getString(1)).isEqualTo("1:JDBC,2:SQL,3:JDBC,4:SQL,5:SQL");
                }
                try (ResultSet r = s.executeQuery("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = '"
                        + NotesDatabase.APP_ROLE + "'")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getBoolean(1)).isFalse();
                    assertThat(r.getBoolean(2)).isFalse();
                    assertThat(r.getBoolean(3)).isFalse();
                }
                // as the app's role, writing an owner or an organization directly is not even permitted
                s.execute("BEGIN");
                s.execute("SET LOCAL ROLE " + NotesDatabase.APP_ROLE);
                assertThatThrownBy(() -> s.execute("INSERT INTO demo.notes (owner_id, title, body) VALUES (gen_random_uuid(), 't', 'b')"))
                        .hasMessageContaining("permission denied");
                s.execute("ROLLBACK");
                // a note's visibility is chosen when it is inserted, never changed afterwards
                s.execute("BEGIN");
                s.execute("SET LOCAL ROLE " + NotesDatabase.APP_ROLE);
                assertThatThrownBy(() -> s.execute("UPDATE demo.notes SET visibility = 'org'"))
                        .hasMessageContaining("permission denied");
                s.execute("ROLLBACK");
            }
        }
    }
}
