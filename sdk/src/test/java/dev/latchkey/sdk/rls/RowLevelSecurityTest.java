package dev.latchkey.sdk.rls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.sdk.CurrentPrincipal;
import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import dev.latchkey.sdk.token.PrincipalKind;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Row-level security against a real PostgreSQL: the documented example policies on a notes table with FORCE
 * ROW LEVEL SECURITY, queried by a non-superuser application role that does not own the table and has no
 * BYPASSRLS, through {@link IdentityDataSource} over HikariCP.
 */
class RowLevelSecurityTest {
    static final String ORG1 = "0190f2a4-0000-7000-8000-0000000000a1";
    static final String ORG2 = "0190f2a4-0000-7000-8000-0000000000a2";
    static final DatabaseIdentity ALICE = member("0190f2a4-7b1c-7cc2-9a57-00000000a11c", ORG1, "member");
    static final DatabaseIdentity BOB = member("0190f2a4-7b1c-7cc2-9a57-000000000b0b", ORG1, "member");
    static final DatabaseIdentity CAROL = member("0190f2a4-7b1c-7cc2-9a57-00000000ca01", ORG2, "member");
    static final DatabaseIdentity DAVE_ADMIN = member("0190f2a4-7b1c-7cc2-9a57-00000000da7e", ORG1, "admin");

    private static TestPostgres.Database db;
    private static String appRole;
    private static String appUrl;
    private HikariDataSource pool;

    static DatabaseIdentity member(String sub, String org, String role) {
        return new DatabaseIdentity(sub, Optional.of(org), Set.of(role), "{\"sub\":\"" + sub + "\",\"ver\":3}");
    }

    @BeforeAll
    static void createDatabase() throws SQLException {
        db = TestPostgres.createDatabase();
        appRole = "lk_app_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            RlsSchema.install(admin);
            RlsSchema.install(admin); // idempotent
            s.execute("CREATE ROLE " + appRole + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE");
            s.execute("""
                    CREATE TABLE notes (
                        id       bigserial PRIMARY KEY,
                        owner_id uuid NOT NULL DEFAULT latchkey.uid(),
                        org_id   text,
                        shared   boolean NOT NULL DEFAULT false,
                        body     text NOT NULL
                    );
                    ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE notes FORCE ROW LEVEL SECURITY;
                    CREATE POLICY notes_owner ON notes
                        USING (owner_id = latchkey.uid()) WITH CHECK (owner_id = latchkey.uid());
                    CREATE POLICY notes_org_shared ON notes FOR SELECT
                        USING (shared AND org_id = latchkey.org_id());
                    CREATE POLICY notes_org_admin ON notes
                        USING (org_id = latchkey.org_id() AND latchkey.has_role('admin'))
                        WITH CHECK (org_id = latchkey.org_id() AND latchkey.has_role('admin'));
                    """);
            s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON notes TO " + appRole);
            s.execute("GRANT USAGE ON SEQUENCE notes_id_seq TO " + appRole);
        }
        appUrl = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        appUrl += (appUrl.contains("?") ? "&" : "?") + "user=" + appRole;
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        db.close();
        try (Connection admin = DriverManager.getConnection(db.adminJdbcUrl()); Statement s = admin.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + appRole);
        }
    }

    @BeforeEach
    void seed() throws SQLException {
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute("TRUNCATE notes");
            s.execute("INSERT INTO notes (owner_id, org_id, shared, body) VALUES "
                    + "('" + ALICE.subject() + "', '" + ORG1 + "', false, 'alice private 1'),"
                    + "('" + ALICE.subject() + "', '" + ORG1 + "', false, 'alice private 2'),"
                    + "('" + BOB.subject() + "', '" + ORG1 + "', false, 'bob private'),"
                    + "('" + BOB.subject() + "', '" + ORG1 + "', true, 'bob shared'),"
                    + "('" + CAROL.subject() + "', '" + ORG2 + "', true, 'carol shared')");
        }
        pool = pool(4);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    private static HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(appUrl);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    private static List<String> bodies(Connection c) throws SQLException {
        List<String> bodies = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM notes ORDER BY body")) {
            while (rs.next()) {
                bodies.add(rs.getString(1));
            }
        }
        return bodies;
    }

    private static int update(IdentityDataSource ds, DatabaseIdentity who, String sql) throws SQLException {
        return ds.<Integer>inTransaction(who, c -> c.createStatement().executeUpdate(sql));
    }

    private static List<String> allBodiesAsSuperuser() throws SQLException {
        try (Connection admin = db.connect()) {
            return bodies(admin);
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theApplicationRoleIsNeitherOwnerNorBypassingRls() throws SQLException {
        try (Connection c = pool.getConnection()) {
            assertThat(scalar(c, "SELECT rolsuper::text || rolbypassrls::text FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("falsefalse");
            assertThat(scalar(c, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'notes'")).isNotEqualTo(appRole);
            assertThat(scalar(c, "SELECT relforcerowsecurity::text FROM pg_class WHERE relname = 'notes'")).isEqualTo("true");
        }
    }

    @Test
    void aUserSeesOwnRowsAndTheOrgsSharedRowsEvenWithoutWhere() throws SQLException {
        IdentityDataSource ds = new IdentityDataSource(pool);

        assertThat(ds.inTransaction(ALICE, RowLevelSecurityTest::bodies))
                .containsExactly("alice private 1", "alice private 2", "bob shared");
        assertThat(ds.inTransaction(CAROL, RowLevelSecurityTest::bodies)).containsExactly("carol shared");
    }

    @Test
    void aUserCannotUpdateOrDeleteOthersRowsEvenWithoutWhere() throws SQLException {
        IdentityDataSource ds = new IdentityDataSource(pool);

        int updated = update(ds, ALICE, "UPDATE notes SET body = body || ' (edited)'");
        int deleted = update(ds, BOB, "DELETE FROM notes WHERE body LIKE 'alice%'");

        assertThat(updated).isEqualTo(2);
        assertThat(deleted).isZero();
        assertThat(allBodiesAsSuperuser()).containsExactly("alice private 1 (edited)", "alice private 2 (edited)",
                "bob private", "bob shared", "carol shared");
        assertThat(update(ds, ALICE, "DELETE FROM notes")).isEqualTo(2);
        assertThat(allBodiesAsSuperuser()).containsExactly("bob private", "bob shared", "carol shared");
    }

    @Test
    void aUserCannotWriteARowOwnedBySomeoneElse() throws SQLException {
        IdentityDataSource ds = new IdentityDataSource(pool);

        assertThatThrownBy(() -> update(ds, ALICE, 
                "INSERT INTO notes (owner_id, org_id, body) VALUES ('" + BOB.subject() + "', '" + ORG1 + "', 'forged')"))
                .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42501");
        assertThat(update(ds, ALICE, 
                "INSERT INTO notes (org_id, body) VALUES ('" + ORG1 + "', 'mine')")).isEqualTo(1);
        assertThat(ds.inTransaction(ALICE, RowLevelSecurityTest::bodies)).contains("mine");
        assertThat(update(ds, BOB, "UPDATE notes SET owner_id = latchkey.uid()"))
                .as("bob cannot take over alice's rows").isEqualTo(2);
        assertThat(ds.inTransaction(ALICE, RowLevelSecurityTest::bodies)).contains("alice private 1", "alice private 2");
    }

    @Test
    void anOrgAdminSeesAndManagesTheOrgsRowsOnly() throws SQLException {
        IdentityDataSource ds = new IdentityDataSource(pool);

        assertThat(ds.inTransaction(DAVE_ADMIN, RowLevelSecurityTest::bodies))
                .containsExactly("alice private 1", "alice private 2", "bob private", "bob shared");
        assertThat(update(ds, DAVE_ADMIN, "DELETE FROM notes")).isEqualTo(4);
        assertThat(allBodiesAsSuperuser()).containsExactly("carol shared");
    }

    @Test
    void noIdentityMeansNoRows() throws SQLException {
        try (Connection c = new IdentityDataSource(pool).getConnection()) {
            assertThat(bodies(c)).as("autocommit, no identity").isEmpty();
            c.setAutoCommit(false);
            assertThat(bodies(c)).as("transaction, no identity").isEmpty();
            assertThat(c.createStatement().executeUpdate("DELETE FROM notes")).isZero();
            c.commit();
        }
        try (Connection raw = pool.getConnection()) {
            assertThat(bodies(raw)).as("the pool itself, without the wrapper").isEmpty();
        }
        assertThat(allBodiesAsSuperuser()).hasSize(5);
    }

    @Test
    void theFunctionsAreSafeWhenUnsetAndReadTheIdentityWhenSet() throws SQLException {
        String sql = "SELECT concat_ws('|', coalesce(latchkey.uid()::text, 'null'), coalesce(latchkey.subject(), 'null'),"
                + " latchkey.is_client()::text, coalesce(latchkey.org_id(), 'null'), latchkey.roles()::text, latchkey.has_role('admin')::text,"
                + " coalesce(latchkey.claim('ver')::text, 'null'), coalesce(latchkey.claim_text('sub'), 'null'))";
        IdentityDataSource ds = new IdentityDataSource(pool);
        try (Connection c = ds.getConnection()) {
            assertThat(scalar(c, sql)).isEqualTo("null|null|false|null|{}|false|null|null");
        }
        assertThat(ds.<String>inTransaction(DAVE_ADMIN, c -> scalar(c, sql))).isEqualTo(
                DAVE_ADMIN.subject() + "|" + DAVE_ADMIN.subject() + "|false|" + ORG1 + "|{admin}|true|3|" + DAVE_ADMIN.subject());
        DatabaseIdentity client = new DatabaseIdentity("notes-cron", Optional.empty(), Set.of("role,with \"quotes\""), "{}");
        assertThat(ds.<String>inTransaction(client, c -> scalar(c, sql)))
                .isEqualTo("null|notes-cron|false|null|{\"role,with \\\"quotes\\\"\"}|false|null|null");
        try (Connection c = ds.getConnection()) {
            assertThat(scalar(c, sql)).as("after transactions that set it, on a reused connection")
                    .isEqualTo("null|null|false|null|{}|false|null|null");
        }
    }

    /**
     * A client's own token whose sub is (the worst case) a user's id, as an old server would have issued for a
     * client registered under that id: verified, bound to the thread and applied, it is a client to PostgreSQL
     * too. uid() and org_id() are NULL, has_role() false, so it reads, changes and writes none of that user's rows.
     */
    @Test
    void aClientsOwnTokenIsNoUserToPostgresEvenWithAUsersIdAsSub() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestIssuer issuer = new TestIssuer(clock)) {
            TokenVerifier verifier = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build();
            List<VerifiedToken> machines = List.of(
                    verifier.verify(issuer.token(c -> c.subject(ALICE.subject()).claim("client_id", ALICE.subject()).claim("sid", null)
                            .claim("ver", null).claim("org", ORG1).claim("roles", List.of("admin")).claim("sub_type", "client"))),
                    // no sub_type at all (a server before the rule), but no session either: still no user
                    verifier.verify(issuer.token(c -> c.subject(ALICE.subject()).claim("sid", null).claim("org", ORG1)
                            .claim("roles", List.of("admin")))));
            IdentityDataSource ds = new IdentityDataSource(pool);
            String sql = "SELECT concat_ws('|', coalesce(latchkey.uid()::text, 'null'), coalesce(latchkey.subject(), 'null'),"
                    + " latchkey.is_client()::text, coalesce(latchkey.org_id(), 'null'), latchkey.has_role('admin')::text)";
            for (VerifiedToken machine : machines) {
                assertThat(machine.isClient()).isTrue();
                DatabaseIdentity id = DatabaseIdentity.of(machine);
                assertThat(id.kind()).isEqualTo(PrincipalKind.CLIENT);
                try (CurrentPrincipal.Binding bound = CurrentPrincipal.bind(machine); Connection c = ds.getConnection()) {
                    c.setAutoCommit(false);
                    assertThat(scalar(c, sql)).isEqualTo("null|" + ALICE.subject() + "|true|null|false");
                    assertThat(bodies(c)).isEmpty();
                    assertThat(c.createStatement().executeUpdate("UPDATE notes SET body = 'taken'")).isZero();
                    assertThat(c.createStatement().executeUpdate("DELETE FROM notes")).isZero();
                    c.commit();
                }
                assertThatThrownBy(() -> update(ds, id, "INSERT INTO notes (body) VALUES ('as alice')")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> update(ds, id, "INSERT INTO notes (owner_id, org_id, body) VALUES ('" + ALICE.subject() + "', '"
                        + ORG1 + "', 'as alice')")).isInstanceOf(SQLException.class);
            }
            assertThat(allBodiesAsSuperuser()).hasSize(5).doesNotContain("taken", "as alice");
            // the same sub in a user's token is that user
            VerifiedToken alice = verifier.verify(issuer.token(c -> c.subject(ALICE.subject()).claim("org", ORG1)));
            assertThat(ds.<String>inTransaction(alice, c -> scalar(c, sql))).isEqualTo(ALICE.subject() + "|" + ALICE.subject() + "|false|"
                    + ORG1 + "|false");
        }
    }

    @Test
    void aClientsIdentityCarriesNoOrganizationOrRoles() throws SQLException {
        assertThatThrownBy(() -> new DatabaseIdentity("reporting", Optional.of(ORG1), Set.of(), "{}", PrincipalKind.CLIENT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DatabaseIdentity("reporting", Optional.empty(), Set.of("admin"), "{}", PrincipalKind.CLIENT))
                .isInstanceOf(IllegalArgumentException.class);
        IdentityDataSource ds = new IdentityDataSource(pool);
        assertThat(ds.<String>inTransaction(DatabaseIdentity.client("reporting", "{\"sub\":\"reporting\"}"),
                c -> scalar(c, "SELECT concat_ws('|', coalesce(latchkey.uid()::text, 'null'), latchkey.subject(), latchkey.is_client()::text,"
                        + " latchkey.claim_text('sub'))"))).isEqualTo("null|reporting|true|reporting");
    }

    @Test
    void anIdentityConnectionRefusesAutocommitStatements() throws SQLException {
        try (Connection c = new IdentityDataSource(pool).getConnection(ALICE)) {
            assertThatThrownBy(() -> bodies(c)).isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25P01");
            c.setAutoCommit(false);
            assertThat(bodies(c)).hasSize(3);
        }
    }

    @Test
    void theIdentityIsReappliedForEveryTransactionOnTheSameConnection() throws SQLException {
        try (Connection c = new IdentityDataSource(pool).getConnection(ALICE)) {
            c.setAutoCommit(false);
            PreparedStatement count = c.prepareStatement("SELECT count(*) FROM notes");
            for (int tx = 0; tx < 5; tx++) {
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("transaction " + tx).isEqualTo(3);
                }
                if (tx % 2 == 0) {
                    c.commit();
                } else {
                    c.rollback();
                }
            }
            assertThat(count.getConnection()).isSameAs(c);
        }
    }

    @Test
    void aSavepointTakenFirstDoesNotUndoTheIdentity() throws SQLException {
        try (Connection c = new IdentityDataSource(pool).getConnection(ALICE)) {
            c.setAutoCommit(false);
            Savepoint sp = c.setSavepoint();
            c.createStatement().executeUpdate("UPDATE notes SET body = 'x'");
            c.rollback(sp);
            assertThat(bodies(c)).containsExactly("alice private 1", "alice private 2", "bob shared");
            c.commit();
        }
    }

    @Test
    void hasPermissionReadsTheVerifiedTokensPermissionsAndIsFalseForClientsAndWhenUnset() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestIssuer issuer = new TestIssuer(clock)) {
            TokenVerifier verifier = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build();
            VerifiedToken writer = verifier.verify(issuer.token(c -> c.subject(ALICE.subject()).claim("org", ORG1)
                    .claim("permissions", List.of("notes:read", "notes:write"))));
            VerifiedToken reader = verifier.verify(issuer.token(c -> c.subject(ALICE.subject()).claim("org", ORG1)
                    .claim("permissions", List.of("notes:read"))));
            VerifiedToken machine = verifier.verify(issuer.token(c -> c.subject("notes-cron").claim("client_id", "notes-cron").claim("sid", null)
                    .claim("sub_type", "client").claim("permissions", List.of("notes:write"))));
            IdentityDataSource ds = new IdentityDataSource(pool);
            String sql = "SELECT latchkey.has_permission('notes:write')::text || '|' || latchkey.has_permission('notes:read')::text";
            assertThat(ds.<String>inTransaction(DatabaseIdentity.of(writer), c -> scalar(c, sql))).isEqualTo("true|true");
            assertThat(ds.<String>inTransaction(DatabaseIdentity.of(reader), c -> scalar(c, sql))).isEqualTo("false|true");
            assertThat(ds.<String>inTransaction(DatabaseIdentity.of(machine), c -> scalar(c, sql))).isEqualTo("false|false");
            assertThat(ds.<String>inTransaction(ALICE, c -> scalar(c, sql))).as("a token without permissions").isEqualTo("false|false");
            try (Connection c = ds.getConnection()) {
                assertThat(scalar(c, sql)).as("unset").isEqualTo("false|false");
            }
        }
    }

    @Test
    void getConnectionActsForThePrincipalBoundToTheThread() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestIssuer issuer = new TestIssuer(clock)) {
            TokenVerifier verifier = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build();
            VerifiedToken alice = verifier.verify(issuer.token(c -> c.subject(ALICE.subject()).claim("org", ORG1)));
            IdentityDataSource ds = new IdentityDataSource(pool);

            try (CurrentPrincipal.Binding bound = CurrentPrincipal.bind(alice); Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                assertThat(bodies(c)).containsExactly("alice private 1", "alice private 2", "bob shared");
                assertThat(scalar(c, "SELECT latchkey.claim_text('client_id')")).isEqualTo("notes-web");
                c.commit();
            }
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                assertThat(bodies(c)).as("after the binding closed").isEmpty();
                c.commit();
            }
        }
    }

    @Test
    void aFailedTransactionRollsBackAndLeavesNothingBehind() throws SQLException {
        IdentityDataSource ds = new IdentityDataSource(pool);
        assertThatThrownBy(() -> ds.inTransaction(ALICE, c -> {
            c.createStatement().executeUpdate("DELETE FROM notes");
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(allBodiesAsSuperuser()).hasSize(5);
        try (Connection raw = pool.getConnection()) {
            assertThat(scalar(raw, "SELECT coalesce(latchkey.subject(), 'none')")).isEqualTo("none");
        }
    }

    @Test
    void onePooledConnectionAlternatingBetweenUsersNeverLeaksAnIdentity() throws SQLException {
        try (HikariDataSource one = pool(1)) {
            IdentityDataSource ds = new IdentityDataSource(one);
            for (int i = 0; i < 300; i++) {
                switch (i % 3) {
                    case 0 -> assertThat(ds.inTransaction(ALICE, RowLevelSecurityTest::bodies)).as("alice, round " + i)
                            .containsExactly("alice private 1", "alice private 2", "bob shared");
                    case 1 -> assertThat(ds.inTransaction(CAROL, RowLevelSecurityTest::bodies)).as("carol, round " + i)
                            .containsExactly("carol shared");
                    default -> {
                        try (Connection c = ds.getConnection()) {
                            c.setAutoCommit(false);
                            assertThat(bodies(c)).as("nobody, round " + i).isEmpty();
                            assertThat(scalar(c, "SELECT coalesce(latchkey.subject(), 'none')")).isEqualTo("none");
                            c.commit();
                        }
                    }
                }
            }
        }
    }

    @Test
    void concurrentUsersOnTwoPooledConnectionsNeverSeeEachOthersRows() throws Exception {
        List<DatabaseIdentity> users = List.of(ALICE, BOB, CAROL, DAVE_ADMIN);
        List<List<String>> expected = List.of(
                List.of("alice private 1", "alice private 2", "bob shared"),
                List.of("bob private", "bob shared"),
                List.of("carol shared"),
                List.of("alice private 1", "alice private 2", "bob private", "bob shared"));
        try (HikariDataSource two = pool(2); ExecutorService threads = Executors.newFixedThreadPool(6)) {
            IdentityDataSource ds = new IdentityDataSource(two);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                results.add(threads.submit(() -> {
                    int checks = 0;
                    for (int i = 0; i < 150; i++) {
                        int u = ThreadLocalRandom.current().nextInt(users.size() + 1);
                        if (u == users.size()) {
                            try (Connection c = ds.getConnection()) {
                                c.setAutoCommit(false);
                                assertThat(bodies(c)).isEmpty();
                                c.commit();
                            }
                        } else {
                            DatabaseIdentity user = users.get(u);
                            assertThat(ds.<List<String>>inTransaction(user, c -> {
                                assertThat(scalar(c, "SELECT latchkey.subject()")).isEqualTo(user.subject());
                                return bodies(c);
                            })).as(user.toString()).isEqualTo(expected.get(u));
                        }
                        checks++;
                    }
                    return checks;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get();
            }
            assertThat(total).isEqualTo(900);
        }
    }

    @Test
    void theScriptIsAClasspathResource() {
        assertThat(RlsSchema.script().toLowerCase(Locale.ROOT))
                .contains("create schema if not exists latchkey")
                .contains("current_setting('latchkey.user_id', true)")
                .doesNotContain("security definer");
    }
}
