package dev.latchkey.examples.notes;

import dev.latchkey.sdk.relations.RelationsSchema;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 3: the SDK's relation mirror tables and {@code latchkey.check()} ({@link RelationsSchema}), which the
 * sharing policies of migration 4 call. Registered explicitly, like migration 1.
 */
final class V3__LatchkeyRelations extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        RelationsSchema.install(context.getConnection());
    }
}
