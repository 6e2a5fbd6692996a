package dev.latchkey.sdk.rls;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done in one transaction on a connection that carries an identity. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
