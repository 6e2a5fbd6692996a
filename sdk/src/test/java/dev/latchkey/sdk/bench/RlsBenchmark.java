package dev.latchkey.sdk.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.sdk.rls.IdentityDataSource;
import dev.latchkey.sdk.rls.RlsSchema;
import dev.latchkey.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What the identity costs per transaction: {@code SELECT 1} in a transaction through
 * {@link IdentityDataSource} (one extra {@code set_config} round trip) against the same on the bare pool.
 * Needs PostgreSQL ({@code LATCHKEY_TEST_DATABASE_URL} or the embedded one).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RlsBenchmark {
    private TestPostgres.Database db;
    private HikariDataSource pool;
    private IdentityDataSource identityPool;
    private final DatabaseIdentity alice = new DatabaseIdentity("0190f2a4-7b1c-7cc2-9a57-00000000a11c",
            Optional.of("0190f2a4-0000-7000-8000-0000000000a1"), Set.of("member"), "{\"ver\":3}");

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        db = TestPostgres.createDatabase();
        try (Connection c = db.connect()) {
            RlsSchema.install(c);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setMaximumPoolSize(2);
        pool = new HikariDataSource(config);
        identityPool = new IdentityDataSource(pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        db.close();
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Benchmark
    public int plainTransaction() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            int r = selectOne(c);
            c.commit();
            return r;
        }
    }

    @Benchmark
    public int identityTransaction() throws SQLException {
        return identityPool.inTransaction(alice, RlsBenchmark::selectOne);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(RlsBenchmark.class.getSimpleName())
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .build()).run();
    }
}
