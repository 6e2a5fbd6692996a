package dev.latchkey.examples.notes;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.examples.DemoConfig;
import dev.latchkey.sdk.rls.IdentityDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notes database: migrated at start by the app's own Flyway history ({@value #HISTORY_TABLE} in schema
 * {@code demo}), then used through a pool whose every connection has switched to {@value #APP_ROLE}, a role
 * row-level security applies to, wrapped in the SDK's {@link IdentityDataSource}.
 *
 * <p>The start refuses to continue when the effective role could bypass the policies (superuser,
 * {@code BYPASSRLS}) or when the table lost {@code FORCE ROW LEVEL SECURITY}: the queries have no
 * {@code WHERE owner_id}, so without RLS they would show everyone's notes.
 */
public final class NotesDatabase implements AutoCloseable {
    public static final String APP_ROLE = "latchkey_demo_app";
    public static final String HISTORY_TABLE = "flyway_demo_history";
    private static final Logger log = LoggerFactory.getLogger(NotesDatabase.class);

    private final HikariDataSource pool;
    private final IdentityDataSource identities;
    private final HikariDataSource mirrorPool;

    private NotesDatabase(HikariDataSource pool, HikariDataSource mirrorPool) {
        this.pool = pool;
        this.identities = new IdentityDataSource(pool);
        this.mirrorPool = mirrorPool;
    }

    /** Migrates, opens the pool and checks that RLS applies to it. */
    public static NotesDatabase open(DemoConfig.Database db, int poolSize) {
        migrate(db);
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("demo-notes");
        hikari.setJdbcUrl(db.jdbcUrl());
        db.user().ifPresent(hikari::setUsername);
        db.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(2, poolSize));
        // session-level: every physical connection acts as the RLS-bound role for its whole life
        hikari.setConnectionInitSql("SET ROLE " + APP_ROLE);
        HikariDataSource pool = new HikariDataSource(hikari);
        try {
            checkPoliciesApply(pool);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException("cannot open the notes database", e);
        }
        // the relation mirror writes latchkey.fga_* as the migrating user (the app role may only call latchkey.check)
        HikariConfig mirror = new HikariConfig();
        mirror.setPoolName("demo-relation-mirror");
        mirror.setJdbcUrl(db.jdbcUrl());
        db.user().ifPresent(mirror::setUsername);
        db.password().ifPresent(mirror::setPassword);
        mirror.setMaximumPoolSize(2);
        mirror.setMinimumIdle(0);
        return new NotesDatabase(pool, new HikariDataSource(mirror));
    }

    static void migrate(DemoConfig.Database db) {
        var result = Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user().orElse(null), db.password().orElse(null))
                .schemas("demo")
                .defaultSchema("demo")
                .table(HISTORY_TABLE)
                .locations("classpath:db/demo")
                .javaMigrations(new V1__LatchkeyRlsFunctions(), new V3__LatchkeyRelations())
                .load()
                .migrate();
        log.info("notes database at version {} ({} migrations applied)", result.targetSchemaVersion, result.migrationsExecuted);
    }

    private static void checkPoliciesApply(HikariDataSource pool) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     SELECT current_user, r.rolsuper, r.rolbypassrls, t.relforcerowsecurity, t.relrowsecurity,
                            t.relowner = r.oid AS owns
                     FROM pg_roles r, pg_class t
                     WHERE r.rolname = current_user AND t.oid = 'demo.notes'::regclass""")) {
            if (!r.next()) {
                throw new IllegalStateException("cannot inspect the role and the notes table");
            }
            String role = r.getString(1);
            if (r.getBoolean(2) || r.getBoolean(3)) {
                throw new IllegalStateException("role " + role + " bypasses row-level security; refusing to serve notes");
            }
            if (!r.getBoolean(4) || !r.getBoolean(5)) {
                throw new IllegalStateException("demo.notes must have ENABLE and FORCE ROW LEVEL SECURITY; refusing to serve notes");
            }
            log.info("notes are queried as role {} (owner: {}), row-level security enforced", role, r.getBoolean(6));
        }
    }

    /** Connections that carry the request's verified identity (see the SDK's docs/rls.md). */
    public IdentityDataSource identities() {
        return identities;
    }

    /** Connections as the migrating user, for {@link dev.latchkey.sdk.relations.RelationMirror}. */
    public javax.sql.DataSource mirrorPool() {
        return mirrorPool;
    }

    @Override
    public void close() {
        mirrorPool.close();
        pool.close();
    }
}
