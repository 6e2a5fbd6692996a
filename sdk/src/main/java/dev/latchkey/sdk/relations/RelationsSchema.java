package dev.latchkey.sdk.relations;

import dev.latchkey.sdk.rls.RlsSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQL side of relations in the application's database: the {@code latchkey.fga_*} tables {@link RelationMirror}
 * fills and {@code latchkey.check(object_type, object_id, relation)} for row-level security policies. The script is
 * the classpath resource {@value #RESOURCE}, idempotent like {@link RlsSchema}'s, which it needs first.
 */
public final class RelationsSchema {
    public static final String RESOURCE = "db/latchkey/R__latchkey_relations.sql";

    private RelationsSchema() {
    }

    public static String script() {
        try (InputStream in = RelationsSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs the RLS functions and then the relations on {@code connection} (needs CREATE on the database). */
    public static void install(Connection connection) throws SQLException {
        RlsSchema.install(connection);
        try (Statement s = connection.createStatement()) {
            s.execute(script());
        }
    }
}
