package dev.latchkey.bench;

import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.sdk.relations.RelationsSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;

/**
 * What {@code latchkey.check()} costs inside PostgreSQL (docs/benchmarks.md, "Relations in RLS"): a table of 10,000
 * rows behind {@code USING (latchkey.check('doc', id, 'viewer'))}, the mirror tables filled directly (about 14,000 tuples:
 * a direct viewer per row, a group share on a third of them, groups of 10 users), and {@code SELECT count(*)} as one
 * user, so every row's policy runs; the same with {@code USING (id IN (SELECT latchkey.objects('doc', 'viewer')))}, which
 * runs once per statement; and the same table behind a plain owner-column policy, for comparison.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.latchkey.bench.RlsCheckBenchmark 'jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres'</pre>
 */
public final class RlsCheckBenchmark {
    public static void main(String[] args) throws Exception {
        String admin = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        String db = "latchkey_rls_check_bench";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db);
        }
        String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            RelationsSchema.install(c);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO latchkey.fga_model SELECT td->>'type', r.key, r.value"
                    + " FROM jsonb_array_elements(?::jsonb -> 'type_definitions') td, jsonb_each(td -> 'relations') r")) {
                p.setString(1, ModelJson.write(ModelDsl.parse(RelationsBenchmark.MODEL)));
                p.executeUpdate();
            }
            s.execute("INSERT INTO latchkey.fga_mirror (store_id, position, synced_at, max_staleness) VALUES ('bench', '', now(), '1 day')");
            s.execute("""
                    INSERT INTO latchkey.fga_tuples (object_type, object_id, relation, user_type, user_id)
                        SELECT 'doc', 'd' || i, 'viewer', 'user', 'u' || i % 1000 FROM generate_series(1, 10000) i;
                    INSERT INTO latchkey.fga_tuples (object_type, object_id, relation, user_type, user_id, user_relation)
                        SELECT 'doc', 'd' || i, 'viewer', 'group', 'g' || i % 100, 'member' FROM generate_series(1, 10000) i WHERE i % 3 = 0;
                    INSERT INTO latchkey.fga_tuples (object_type, object_id, relation, user_type, user_id)
                        SELECT 'group', 'g' || i, 'member', 'user', 'u' || (i * 10 + k) % 1000 FROM generate_series(0, 99) i, generate_series(0, 9) k;
                    CREATE ROLE lk_rls_bench NOLOGIN NOSUPERUSER NOBYPASSRLS;
                    GRANT USAGE ON SCHEMA latchkey TO lk_rls_bench;
                    CREATE TABLE docs (id text PRIMARY KEY, owner text NOT NULL);
                    INSERT INTO docs SELECT 'd' || i, 'u' || i % 1000 FROM generate_series(1, 10000) i;
                    CREATE TABLE plain (id text PRIMARY KEY, owner text NOT NULL);
                    INSERT INTO plain SELECT * FROM docs;
                    CREATE TABLE docs_set (id text PRIMARY KEY, owner text NOT NULL);
                    INSERT INTO docs_set SELECT * FROM docs;
                    ALTER TABLE docs_set ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY shared_set ON docs_set FOR SELECT USING (id IN (SELECT latchkey.objects('doc', 'viewer')));
                    GRANT SELECT ON docs_set TO lk_rls_bench;
                    ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
                    ALTER TABLE plain ENABLE ROW LEVEL SECURITY;
                    CREATE POLICY shared ON docs FOR SELECT USING (latchkey.check('doc', id, 'viewer'));
                    CREATE POLICY owned ON plain FOR SELECT USING (owner = (SELECT latchkey.subject()));
                    GRANT SELECT ON docs, plain TO lk_rls_bench;
                    ANALYZE;
                    """);
            for (String table : new String[] {"plain", "docs", "docs_set"}) {
                double[] ms = new double[15];
                long rows = 0;
                for (int k = 0; k < ms.length; k++) {
                    c.setAutoCommit(false);
                    s.execute("SET LOCAL ROLE lk_rls_bench");
                    s.execute("SELECT set_config('latchkey.user_id', 'u" + (7 + k) + "', true)");
                    long t = System.nanoTime();
                    try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
                        r.next();
                        rows = r.getLong(1);
                    }
                    ms[k] = (System.nanoTime() - t) / 1e6;
                    c.commit();
                    c.setAutoCommit(true);
                }
                Arrays.sort(ms);
                System.out.printf("%s: SELECT count(*) over 10,000 rows as one user: %d visible, median %.1f ms (%.2f µs a row), max %.1f ms%n",
                        table, rows, ms[ms.length / 2], ms[ms.length / 2] * 1000 / 10_000, ms[ms.length - 1]);
            }
            s.execute("DROP TABLE docs, plain, docs_set");
        }
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("DROP ROLE IF EXISTS lk_rls_bench");
        }
    }
}
