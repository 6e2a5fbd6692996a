package dev.latchkey.store.sql;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.testkit.TestPostgres;
import java.time.Duration;
import java.time.Instant;

/** A fresh, migrated database per test class, with every store over it. */
final class StoreFixture implements AutoCloseable {
    final TestPostgres.Database db;
    final Database database;
    final Jdbc jdbc;
    final PgUserStore users;
    final PgSessionStore sessions;
    final PgRefreshFamilyStore families;
    final PgSigningKeyStore keys;
    final PgAuditLog audit;
    final PgLoginThrottle throttle;

    StoreFixture() {
        db = TestPostgres.createDatabase();
        database = Database.open(new Database.Settings(PostgresUrl.parse(db.jdbcUrl()), 60, Duration.ofSeconds(10)));
        jdbc = database.jdbc();
        users = new PgUserStore(jdbc);
        sessions = new PgSessionStore(jdbc);
        families = new PgRefreshFamilyStore(jdbc);
        keys = new PgSigningKeyStore(jdbc);
        audit = new PgAuditLog(jdbc);
        throttle = new PgLoginThrottle(jdbc);
    }

    /** A second pool on the same database: what another node would have. */
    Database secondNode() {
        return Database.open(new Database.Settings(PostgresUrl.parse(db.jdbcUrl()), 30, Duration.ofSeconds(10)));
    }

    User newUser(String email, Instant now) {
        User u = new User(UuidV7.next(), EmailAddress.parse(email), false, "Test", "hash", UserStatus.ACTIVE, 1, now, now);
        if (!users.create(u)) {
            throw new IllegalStateException("duplicate " + email);
        }
        return u;
    }

    @Override
    public void close() {
        database.close();
        db.close();
    }
}
