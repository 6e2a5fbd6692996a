package dev.latchkey.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

/**
 * A real PostgreSQL for tests. With {@code LATCHKEY_TEST_DATABASE_URL} (a {@code jdbc:postgresql:}
 * URL of a database a superuser can connect to; CI sets it) tests use that server; otherwise an
 * embedded PostgreSQL is started once per JVM. Each {@link #createDatabase()} makes a fresh,
 * uniquely named database that {@link Database#close()} drops again.
 */
public final class TestPostgres {
    public static final String ENV = "LATCHKEY_TEST_DATABASE_URL";
    private static volatile String adminUrl;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    /** A database of its own; close it to drop it. */
    public record Database(String name, String jdbcUrl, String adminJdbcUrl) implements AutoCloseable {
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl);
        }

        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(adminJdbcUrl)) {
                c.createStatement().execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop test database " + name, e);
            }
        }
    }

    public static Database createDatabase() {
        String admin = adminUrl();
        String name = "lk_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(admin)) {
            c.createStatement().execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database through " + redact(admin)
                    + " (set " + ENV + " to a reachable PostgreSQL, or unset it to use the embedded one)", e);
        }
        return new Database(name, withDatabase(admin, name), admin);
    }

    /** The admin URL of the server in use (external or embedded). */
    public static synchronized String adminUrl() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String external = System.getenv(ENV);
        if (external != null && !external.isBlank()) {
            if (!external.startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException(ENV + " must be a jdbc:postgresql: URL");
            }
            adminUrl = external;
        } else {
            try {
                embedded = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
                adminUrl = embedded.getJdbcUrl("postgres", "postgres");
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
            }
        }
        return adminUrl;
    }

    static String withDatabase(String jdbcUrl, String db) {
        int q = jdbcUrl.indexOf('?');
        String base = q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
        String query = q < 0 ? "" : jdbcUrl.substring(q);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + db + query;
    }

    static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }
}
