package dev.latchkey.sdk.rls;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A connection that applies its {@link DatabaseIdentity} at the start of every transaction: before the first
 * statement after {@code setAutoCommit(false)}, {@code commit()} or {@code rollback()}, it runs one
 * {@code SELECT set_config(..., true)} (transaction-local: PostgreSQL drops the values at COMMIT or ROLLBACK,
 * so nothing is ever cleared by hand and a pooled connection cannot carry them into another transaction).
 *
 * <p>A statement in autocommit mode is refused (SQLSTATE 25P01): a transaction-local setting would last only
 * for the {@code set_config} statement itself, and the real statement would run without identity. A
 * connection without identity passes everything through; policies then see no identity.
 */
final class IdentityConnection implements InvocationHandler {
    static final String APPLY_SQL = "SELECT set_config('latchkey.user_id', ?, true), set_config('latchkey.client_id', ?, true),"
            + " set_config('latchkey.org_id', ?, true), set_config('latchkey.roles', ?, true), set_config('latchkey.claims', ?, true),"
            + " set_config('latchkey.service_account_id', ?, true)";

    private final Connection raw;
    private final DatabaseIdentity identity;
    private final Connection proxy;
    private boolean applied;

    private IdentityConnection(Connection raw, DatabaseIdentity identity) {
        this.raw = raw;
        this.identity = identity;
        this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, this);
    }

    /** {@code identity} may be null: then the connection applies nothing. */
    static Connection wrap(Connection raw, DatabaseIdentity identity) {
        return new IdentityConnection(raw, identity).proxy;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return self == args[0];
            case "hashCode":
                return System.identityHashCode(self);
            case "toString":
                return "IdentityConnection[" + identity + "]";
            case "setSavepoint":
                beforeStatement(); // a savepoint taken before the identity would roll it back
                break;
            case "createStatement":
                return wrapStatement(Statement.class, call(method, args));
            case "prepareStatement":
                return wrapStatement(PreparedStatement.class, call(method, args));
            case "prepareCall":
                return wrapStatement(CallableStatement.class, call(method, args));
            default:
                break;
        }
        Object result = call(method, args);
        if (method.getName().equals("commit") || method.getName().equals("setAutoCommit")
                || (method.getName().equals("rollback") && (args == null || args.length == 0))) {
            applied = false; // the transaction ended; the next one needs the identity again
        }
        return result;
    }

    /** Runs before every statement execution and savepoint. */
    void beforeStatement() throws SQLException {
        if (identity == null || applied) {
            return;
        }
        if (raw.getAutoCommit()) {
            throw new SQLException("a connection carrying a Latchkey identity runs statements only inside a transaction:"
                    + " call setAutoCommit(false) first, or use IdentityDataSource.inTransaction", "25P01");
        }
        try (PreparedStatement ps = raw.prepareStatement(APPLY_SQL)) {
            ps.setString(1, identity.userIdSetting());
            ps.setString(2, identity.clientIdSetting());
            ps.setString(3, identity.organization().orElse(""));
            ps.setString(4, identity.rolesJson());
            ps.setString(5, identity.claimsJson());
            ps.setString(6, identity.serviceAccountSetting());
            ps.execute();
        }
        applied = true;
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(raw, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private <S extends Statement> S wrapStatement(Class<S> type, Object statement) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new StatementHandler(statement)));
    }

    /** Applies the identity before any {@code execute*} and hands out the identity connection. */
    private final class StatementHandler implements InvocationHandler {
        private final Object raw;

        StatementHandler(Object raw) {
            this.raw = raw;
        }

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.equals("equals")) {
                return self == args[0];
            }
            if (name.equals("hashCode")) {
                return System.identityHashCode(self);
            }
            if (name.equals("getConnection")) {
                return proxy;
            }
            if (name.startsWith("execute")) {
                beforeStatement();
            }
            try {
                return method.invoke(raw, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
