package dev.latchkey.sdk.rls;

import dev.latchkey.sdk.CurrentPrincipal;
import dev.latchkey.sdk.token.VerifiedToken;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} (usually wrapping a HikariCP pool) whose connections tell PostgreSQL who the request
 * acts for, so row-level security policies written with {@code latchkey.uid()}, {@code latchkey.org_id()} and
 * {@code latchkey.has_role(...)} (see {@link RlsSchema}) enforce the verified identity even when a query has
 * no {@code WHERE} clause.
 *
 * <p>How a connection learns its identity, fixed when it is borrowed:
 * <ul>
 *   <li>{@link #getConnection(DatabaseIdentity)} or {@link #inTransaction}: explicitly;</li>
 *   <li>{@link #getConnection()}: the {@link CurrentPrincipal} bound to the calling thread (the servlet filter
 *       and the Javalin plugin bind it for the request), or none.</li>
 * </ul>
 * The identity is applied with {@code set_config(..., true)} before the first statement of every
 * transaction, so it is transaction-local and a pooled connection cannot leak it. Statements must run in a
 * transaction ({@code setAutoCommit(false)}, as JDBI, jOOQ and Spring transactions do); in autocommit mode a
 * connection with an identity refuses to run them. A connection without identity sees nothing a policy
 * protects.
 */
public final class IdentityDataSource implements DataSource {
    private final DataSource delegate;

    public IdentityDataSource(DataSource delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** A connection acting for the principal bound to this thread, or for nobody. */
    @Override
    public Connection getConnection() throws SQLException {
        return IdentityConnection.wrap(delegate.getConnection(), currentIdentity());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return IdentityConnection.wrap(delegate.getConnection(username, password), currentIdentity());
    }

    /** A connection acting for {@code identity} in every transaction it runs. */
    public Connection getConnection(DatabaseIdentity identity) throws SQLException {
        return IdentityConnection.wrap(delegate.getConnection(), Objects.requireNonNull(identity, "identity"));
    }

    /** Runs {@code work} in one transaction as {@code identity}: commits on return, rolls back on any exception. */
    public <T> T inTransaction(DatabaseIdentity identity, SqlWork<T> work) throws SQLException {
        try (Connection c = getConnection(identity)) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    /** Runs {@code work} in one transaction as the token's subject. */
    public <T> T inTransaction(VerifiedToken principal, SqlWork<T> work) throws SQLException {
        return inTransaction(DatabaseIdentity.of(principal), work);
    }

    private static DatabaseIdentity currentIdentity() {
        return CurrentPrincipal.get().map(DatabaseIdentity::of).orElse(null);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
