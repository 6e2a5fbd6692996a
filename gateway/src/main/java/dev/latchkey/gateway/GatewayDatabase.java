package dev.latchkey.gateway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.store.sql.Jdbc;
import dev.latchkey.store.sql.PostgresUrl;
import org.flywaydb.core.Flyway;

/**
 * The gateway's connection pool, migrated with its own Flyway migrations ({@code db/gateway}) and history table
 * ({@code gateway_schema_history}), so it can live in the server's database or in its own.
 */
final class GatewayDatabase implements AutoCloseable {
    private final HikariDataSource dataSource;

    GatewayDatabase(PostgresUrl url, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            hc.setUsername(url.user());
        }
        if (url.password() != null) {
            hc.setPassword(url.password());
        }
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(Math.min(2, poolSize));
        hc.setConnectionTimeout(10_000);
        hc.setPoolName("latchkey-gateway");
        hc.addDataSourceProperty("ApplicationName", "latchkey-gateway");
        dataSource = new HikariDataSource(hc);
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/gateway").table("gateway_schema_history")
                    .baselineOnMigrate(true).baselineVersion("0").failOnMissingLocations(true).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    Jdbc jdbc() {
        return new Jdbc(dataSource);
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
