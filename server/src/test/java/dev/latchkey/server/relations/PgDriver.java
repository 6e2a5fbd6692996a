package dev.latchkey.server.relations;

import dev.latchkey.store.sql.Database;
import dev.latchkey.store.sql.PgRelationStore;
import dev.latchkey.store.sql.PostgresUrl;
import dev.latchkey.testkit.TestPostgres;
import java.time.Duration;

/** The engine over {@link PgRelationStore} on a fresh, migrated PostgreSQL database. */
final class PgDriver {
    private PgDriver() {
    }

    static CaseDriver open() {
        TestPostgres.Database db = TestPostgres.createDatabase();
        Database database = Database.open(new Database.Settings(PostgresUrl.parse(db.jdbcUrl()), 5, Duration.ofSeconds(10)));
        return new EngineDriver(new PgRelationStore(database.jdbc()), () -> {
            database.close();
            db.close();
        });
    }
}
