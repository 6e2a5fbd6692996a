package dev.latchkey.store.sql;

import java.sql.SQLException;

/** A database failure. Its message names the statement's purpose, never a parameter value. */
public final class StoreException extends RuntimeException {
    public StoreException(String what, SQLException cause) {
        super("database error in " + firstLine(what) + ": " + cause.getMessage() + " [SQLState " + cause.getSQLState() + "]", cause);
    }

    /** True when the failure was a unique-constraint violation. */
    public boolean isUniqueViolation() {
        return getCause() instanceof SQLException s && "23505".equals(s.getSQLState());
    }

    /** True when the failure was a foreign-key violation (the referenced row is gone). */
    public boolean isForeignKeyViolation() {
        return getCause() instanceof SQLException s && "23503".equals(s.getSQLState());
    }

    private static String firstLine(String sql) {
        String s = sql.strip();
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
