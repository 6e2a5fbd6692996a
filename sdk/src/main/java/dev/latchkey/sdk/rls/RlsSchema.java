package dev.latchkey.sdk.rls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQL functions row-level security policies call: schema {@code latchkey} with {@code uid()},
 * {@code subject()}, {@code org_id()}, {@code roles()}, {@code has_role(text)}, {@code claim(text)} and
 * {@code claim_text(text)}. The script is the classpath resource {@value #RESOURCE}; it is idempotent, so
 * it works as a Flyway repeatable migration (add {@code classpath:db/latchkey} to the locations), with
 * {@code psql -f}, or through {@link #install(Connection)}.
 */
public final class RlsSchema {
    public static final String RESOURCE = "db/latchkey/R__latchkey_rls.sql";

    private RlsSchema() {
    }

    /** The script's text. */
    public static String script() {
        try (InputStream in = RlsSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the script on {@code connection}, which needs CREATE on the database. */
    public static void install(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(script());
        }
    }
}
