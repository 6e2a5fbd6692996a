package dev.latchkey.bench;

import dev.latchkey.authz.cel.CelConditions;
import dev.latchkey.core.authz.Consistency;
import dev.latchkey.core.authz.RelationService;
import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.store.sql.Database;
import dev.latchkey.store.sql.PgRelationStore;
import dev.latchkey.store.sql.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relation engine on PostgreSQL (docs/benchmarks.md, "Relations"): a fresh database with about 1,000,000 tuples,
 * then check latency (p50/p99) for paths of 1 to 5 tuples, uncached ({@code HIGHER_CONSISTENCY}) and cached
 * ({@code MINIMIZE_LATENCY}, warm), list-objects over 10,000 objects, and writes per second. A plain harness, not
 * JMH: each figure is a distribution over many calls of a real query against a real database.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.latchkey.bench.RelationsBenchmark 'jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres'
 * </pre>
 * (the URL of a server where it may create and drop the database {@code latchkey_relations_bench}).
 */
public final class RelationsBenchmark {
    static final String MODEL = """
            model
              schema 1.1
            type user
            type group
              relations
                define member: [user, group#member]
            type folder
              relations
                define parent: [folder]
                define viewer: [user, group#member] or viewer from parent
            type doc
              relations
                define parent: [folder]
                define viewer: [user, group#member] or viewer from parent
            """;
    static final int SAMPLES = 2_000;
    static final int TARGETS = 1_000;

    public static void main(String[] args) throws Exception {
        String admin = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        String db = "latchkey_relations_bench";
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db);
        }
        String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
        try (Database database = Database.open(new Database.Settings(PostgresUrl.parse(url), 16, Duration.ofSeconds(10)))) {
            RelationService service = new RelationService(new PgRelationStore(database.jdbc()), new CelConditions(),
                    Limits.DEFAULTS.withMaxListResults(20_000), Clock.systemUTC(), Duration.ofSeconds(60));
            String store = service.createStore("bench", Optional.empty()).id();
            String model = service.writeModel(store, ModelDsl.parse(MODEL));
            long t0 = System.nanoTime();
            long tuples = load(database, store);
            System.out.printf("loaded %,d tuples in %.1f s%n", tuples, (System.nanoTime() - t0) / 1e9);
            try (Statement s = database.dataSource().getConnection().createStatement()) {
                s.execute("ANALYZE fga_tuples");
            }
            System.out.println("| path length | uncached p50 | uncached p99 | cached p50 | cached p99 |");
            System.out.println("|---:|---:|---:|---:|---:|");
            for (int depth = 1; depth <= 5; depth++) {
                double[] un = checks(service, store, model, depth, Consistency.HIGHER_CONSISTENCY);
                checks(service, store, model, depth, Consistency.MINIMIZE_LATENCY); // warms the cache
                double[] ca = checks(service, store, model, depth, Consistency.MINIMIZE_LATENCY);
                System.out.printf("| %d | %.2f ms | %.2f ms | %.3f ms | %.3f ms |%n", depth, pct(un, 50), pct(un, 99), pct(ca, 50), pct(ca, 99));
            }
            double[] denied = denied(service, store, model);
            System.out.printf("denied (no path; depth-3 model walk), uncached: p50 %.2f ms, p99 %.2f ms%n", pct(denied, 50), pct(denied, 99));
            listObjects(service, store, model);
            writes(service, store, model);
        }
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
        }
    }

    /** About 1,000,000 tuples of background, plus {@value #TARGETS} paths of each length 1-5 and 10,000 docs of one group. */
    static long load(Database database, String store) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            String ins = "INSERT INTO fga_tuples (store_id, object_type, object_id, relation, user_type, user_id, user_relation, ulid, inserted_at) ";
            String st = "'" + store + "'";
            // background: 200,000 docs with 3 direct viewers each, a parent folder, and a viewer group; 20,000 folders in
            // chains of 2; 10,000 groups of 10 members
            s.execute(ins + "SELECT " + st + ", 'doc', 'bg' || i, 'viewer', 'user', 'u' || (i * 7 + k) % 100000, '', 'b' || i || '.' || k, now()"
                    + " FROM generate_series(1, 200000) i, generate_series(1, 3) k");
            s.execute(ins + "SELECT " + st + ", 'doc', 'bg' || i, 'parent', 'folder', 'bf' || i % 20000, '', 'p' || i, now() FROM generate_series(1, 200000) i");
            s.execute(ins + "SELECT " + st + ", 'doc', 'bg' || i, 'viewer', 'group', 'bgrp' || i % 10000, 'member', 'g' || i, now()"
                    + " FROM generate_series(1, 200000) i");
            s.execute(ins + "SELECT " + st + ", 'folder', 'bf' || i, 'parent', 'folder', 'bf' || (i + 1) % 20000, '', 'f' || i, now()"
                    + " FROM generate_series(1, 20000) i WHERE i % 2 = 0");
            s.execute(ins + "SELECT " + st + ", 'group', 'bgrp' || i, 'member', 'user', 'u' || (i * 13 + k) % 100000, '', 'm' || i || '.' || k, now()"
                    + " FROM generate_series(1, 10000) i, generate_series(1, 10) k");
            // measured paths: length 1 .. 5 (tuples between the doc and the user)
            s.execute(ins + "SELECT " + st + ", 'doc', 'd1_' || i, 'viewer', 'user', 'x1_' || i, '', 'd1.' || i, now() FROM generate_series(1, "
                    + TARGETS + ") i");
            s.execute(ins + "SELECT " + st + ", * FROM (SELECT 'doc', 'd2_' || i, 'viewer', 'group', 'g2_' || i, 'member', 'd2a.' || i, now()"
                    + " FROM generate_series(1, " + TARGETS + ") i UNION ALL SELECT 'group', 'g2_' || i, 'member', 'user', 'x2_' || i, '', 'd2b.' || i,"
                    + " now() FROM generate_series(1, " + TARGETS + ") i) x");
            for (int depth = 3; depth <= 5; depth++) {
                path(s, ins, st, depth);
            }
            // 10,000 docs a group may view, and a member of it (list-objects)
            s.execute(ins + "SELECT " + st + ", 'doc', 'many' || i, 'viewer', 'group', 'many', 'member', 'l' || i, now() FROM generate_series(1, 10000) i");
            s.execute(ins + "VALUES (" + st + ", 'group', 'many', 'member', 'user', 'lister', '', 'lister', now())");
            try (var r = s.executeQuery("SELECT count(*) FROM fga_tuples")) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** doc -parent-> folder (-parent-> folder)* -viewer-> group (-member-> group)* -member-> user, {@code depth} tuples long. */
    private static void path(Statement s, String ins, String st, int depth) throws Exception {
        int folders = depth == 3 ? 1 : 2;
        int groups = depth - 1 - folders;
        String n = "generate_series(1, " + TARGETS + ") i";
        String p = "d" + depth;
        s.execute(ins + "SELECT " + st + ", 'doc', '" + p + "_' || i, 'parent', 'folder', '" + p + "f1_' || i, '', '" + p + "a.' || i, now() FROM " + n);
        if (folders == 2) {
            s.execute(ins + "SELECT " + st + ", 'folder', '" + p + "f1_' || i, 'parent', 'folder', '" + p + "f2_' || i, '', '" + p + "b.' || i, now() FROM " + n);
        }
        s.execute(ins + "SELECT " + st + ", 'folder', '" + p + "f" + folders + "_' || i, 'viewer', 'group', '" + p + "g1_' || i, 'member', '" + p
                + "c.' || i, now() FROM " + n);
        for (int g = 1; g < groups; g++) {
            s.execute(ins + "SELECT " + st + ", 'group', '" + p + "g" + g + "_' || i, 'member', 'group', '" + p + "g" + (g + 1) + "_' || i, 'member', '"
                    + p + "d" + g + ".' || i, now() FROM " + n);
        }
        s.execute(ins + "SELECT " + st + ", 'group', '" + p + "g" + groups + "_' || i, 'member', 'user', 'x" + depth + "_' || i, '', '" + p + "e.' || i,"
                + " now() FROM " + n);
    }

    static RelationService.Query query(String store, String model, Consistency c) {
        return new RelationService.Query(store, Optional.of(model), List.of(), ConditionContext.EMPTY, c);
    }

    static double[] checks(RelationService service, String store, String model, int depth, Consistency c) {
        double[] ms = new double[SAMPLES];
        RelationService.Query q = query(store, model, c);
        for (int k = 0; k < SAMPLES; k++) {
            int i = 1 + ThreadLocalRandom.current().nextInt(TARGETS);
            long t = System.nanoTime();
            boolean ok = service.check(q, ObjectRef.parse("doc:d" + depth + "_" + i), "viewer", User.parse("user:x" + depth + "_" + i));
            ms[k] = (System.nanoTime() - t) / 1e6;
            if (!ok) {
                throw new IllegalStateException("expected a path of length " + depth + " for " + i);
            }
        }
        return ms;
    }

    static double[] denied(RelationService service, String store, String model) {
        double[] ms = new double[SAMPLES];
        RelationService.Query q = query(store, model, Consistency.HIGHER_CONSISTENCY);
        for (int k = 0; k < SAMPLES; k++) {
            int i = 1 + ThreadLocalRandom.current().nextInt(TARGETS);
            long t = System.nanoTime();
            if (service.check(q, ObjectRef.parse("doc:d3_" + i), "viewer", User.parse("user:nobody" + i))) {
                throw new IllegalStateException("nobody has a path");
            }
            ms[k] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    static void listObjects(RelationService service, String store, String model) {
        RelationService.Query q = query(store, model, Consistency.HIGHER_CONSISTENCY);
        double[] ms = new double[20];
        for (int k = 0; k < ms.length; k++) {
            long t = System.nanoTime();
            int n = service.listObjects(q, "doc", "viewer", User.parse("user:lister")).size();
            ms[k] = (System.nanoTime() - t) / 1e6;
            if (n != 10_000) {
                throw new IllegalStateException("listed " + n);
            }
        }
        System.out.printf("list-objects, 10,000 docs through one group, uncached: p50 %.1f ms, max %.1f ms (20 runs)%n", pct(ms, 50), pct(ms, 100));
    }

    static void writes(RelationService service, String store, String model) throws Exception {
        for (int batch : new int[] {1, 100}) {
            for (int threads : new int[] {1, 8}) {
                AtomicLong n = new AtomicLong();
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    fs.add(pool.submit(() -> {
                        long k = 0;
                        while (System.nanoTime() < end) {
                            List<RelationTuple> ts = new ArrayList<>(batch);
                            for (int b = 0; b < batch; b++) {
                                ts.add(RelationTuple.of("doc:w" + batch + "_" + threads + "_" + id + "_" + k + "_" + b, "viewer", "user:writer"));
                            }
                            service.write(store, Optional.of(model), ts, false, List.of(), false);
                            n.addAndGet(batch);
                            k++;
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                pool.shutdown();
                System.out.printf("writes: %d tuple(s) per request, %d writer(s): %,.0f tuples/s%n", batch, threads, n.get() / 10.0);
            }
        }
    }

    static double pct(double[] values, int p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }
}
