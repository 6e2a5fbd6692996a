package dev.latchkey.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Plain JDBC with less ceremony: positional parameters bound by type (UUID, Instant, byte[] …),
 * rows mapped by a lambda, transactions as a callback. SQL errors become {@link StoreException}.
 */
public final class Jdbc {
    private final DataSource dataSource;
    private volatile Runnable revocationHook = () -> { };

    public Jdbc(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Called (in the writer's thread) after a transaction that appended to the revocation log has
     * committed, so this node's caches can catch up before the request that revoked returns.
     */
    public void onRevocations(Runnable hook) {
        this.revocationHook = Objects.requireNonNull(hook, "hook");
    }

    void revocationsCommitted() {
        revocationHook.run();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface TxWork<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        try (Connection c = dataSource.getConnection()) {
            return query(c, sql, mapper, params);
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection()) {
            return update(c, sql, params);
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /** Work on one connection in autocommit mode (each statement commits by itself). */
    public <T> T withConnection(TxWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("statement", e);
        }
    }

    public <T> T inTransaction(TxWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("transaction", e);
        }
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            int idx = i + 1;
            switch (p) {
                case null -> ps.setObject(idx, null);
                case Instant t -> ps.setObject(idx, OffsetDateTime.ofInstant(micros(t), ZoneOffset.UTC));
                case byte[] b -> ps.setBytes(idx, b);
                case UUID u -> ps.setObject(idx, u);
                case String s -> ps.setString(idx, s);
                case Integer n -> ps.setInt(idx, n);
                case Long n -> ps.setLong(idx, n);
                case Boolean b -> ps.setBoolean(idx, b);
                case Enum<?> e -> ps.setString(idx, e.name().toLowerCase(java.util.Locale.ROOT));
                default -> ps.setObject(idx, p);
            }
        }
    }

    /**
     * PostgreSQL keeps microseconds and would round a finer instant; truncating here means a value
     * read back compares exactly with the instant that was written.
     */
    public static Instant micros(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

}
