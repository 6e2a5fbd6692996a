package dev.latchkey.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection pool to PostgreSQL, migrated to the current schema when opened. */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource dataSource;
    private final Jdbc jdbc;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
    }

    /** Pool settings. */
    public record Settings(PostgresUrl url, int maxPoolSize, Duration connectTimeout) {
    }

    public static Database open(Settings s) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(s.url().jdbcUrl());
        if (s.url().user() != null) {
            hc.setUsername(s.url().user());
        }
        if (s.url().password() != null) {
            hc.setPassword(s.url().password());
        }
        hc.setMaximumPoolSize(s.maxPoolSize());
        hc.setMinimumIdle(Math.min(2, s.maxPoolSize()));
        hc.setConnectionTimeout(s.connectTimeout().toMillis());
        hc.setPoolName("latchkey");
        hc.addDataSourceProperty("ApplicationName", "latchkey");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            var result = Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                    .failOnMissingLocations(true).load().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.info("database migrated to version {} ({} migrations)", result.targetSchemaVersion, result.migrationsExecuted);
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
