package dev.latchkey.examples.notes;

import dev.latchkey.sdk.rls.RlsSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 1: the SDK's {@code latchkey.*} SQL functions ({@link RlsSchema}), which the policies of
 * migration 2 call. Named for Flyway's version convention and registered explicitly (no classpath scanning).
 */
final class V1__LatchkeyRlsFunctions extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        RlsSchema.install(context.getConnection());
    }
}
