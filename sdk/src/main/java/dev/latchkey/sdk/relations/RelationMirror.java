package dev.latchkey.sdk.relations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a copy of one store's relations in the application's own PostgreSQL, for {@code latchkey.check()} in
 * row-level security policies ({@link RelationsSchema}): follows Latchkey's change log ({@code GET /changes}, in
 * commit order, resumed from the position stored in {@code latchkey.fga_mirror}) and the store's latest model.
 *
 * <p>The bound: every {@code interval} (default 1 s) it catches up and stamps {@code synced_at}; a share or an
 * unshare is visible in the database within one interval plus one round trip (at once on the node that calls
 * {@link #syncNow()} after writing). If it cannot catch up for longer than {@code maxStaleness} (default 30 s), the
 * database's {@code latchkey.check()} answers false for everything until it can: stale relations never grant.
 * Several application nodes may mirror into one database: a row lock on {@code latchkey.fga_mirror} serializes them.
 */
public final class RelationMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelationMirror.class);
    private static final int PAGE = 100;

    private final RelationsClient client;
    private final DataSource db;
    private final Duration interval;
    private final Duration maxStaleness;
    private final String userType;
    private final AtomicBoolean running = new AtomicBoolean();
    private Thread loop;

    /**
     * @param db           a connection pool that may write the {@code latchkey.fga_*} tables (the migrating role, not the
     *                     RLS-bound application role)
     * @param userType     the type {@code latchkey.check()} gives the verified subject ({@code user} → {@code user:<sub>})
     */
    public RelationMirror(RelationsClient client, DataSource db, Duration interval, Duration maxStaleness, String userType) {
        this.client = Objects.requireNonNull(client, "client");
        this.db = Objects.requireNonNull(db, "db");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
        this.userType = Objects.requireNonNull(userType, "userType");
        if (interval.isNegative() || interval.isZero() || maxStaleness.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("maxStaleness must be longer than a positive interval");
        }
    }

    /** Catches up once (failing if it cannot), then keeps following on a virtual thread. */
    public RelationMirror start() {
        syncNow();
        running.set(true);
        loop = Thread.ofVirtual().name("latchkey-relation-mirror").start(this::follow);
        return this;
    }

    private void follow() {
        while (running.get()) {
            try {
                Thread.sleep(interval);
                syncNow();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;     // closed while a sync was under way: the interrupt broke its request, nothing failed
                }
                LOG.warn("relation mirror could not catch up ({}); latchkey.check() fails closed after {} s without a sync", e.getMessage(),
                        maxStaleness.toSeconds());
            }
        }
    }

    /** Applies every change Latchkey has committed so far, and the latest model; stamps the time of this sync. */
    public synchronized void syncNow() {
        try {
            String position = begin();
            while (true) {
                Map<String, Object> page = client.changes(position, PAGE);
                List<?> changes = (List<?>) page.get("changes");
                String next = (String) page.get("continuation_token");
                if (changes == null || changes.isEmpty()) {
                    finish(next == null || next.isEmpty() ? position : next);
                    return;
                }
                apply(changes, next);
                position = next;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("relation mirror: " + e.getMessage(), e);
        }
    }

    /** The stored position; a mirror of another store (or none yet) starts over. The model is refreshed here. */
    private String begin() throws SQLException {
        String latest = client.latestModel().map(m -> (String) m.get("id")).orElse(null);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                String position = "";
                String modelId = null;
                try (PreparedStatement s = c.prepareStatement("SELECT store_id, model_id, position FROM latchkey.fga_mirror WHERE id = 1 FOR UPDATE");
                     ResultSet r = s.executeQuery()) {
                    if (r.next() && r.getString(1).equals(client.store())) {
                        modelId = r.getString(2);
                        position = r.getString(3);
                    } else {
                        exec(c, "DELETE FROM latchkey.fga_tuples");
                        exec(c, "DELETE FROM latchkey.fga_model");
                        try (PreparedStatement u = c.prepareStatement("""
                                INSERT INTO latchkey.fga_mirror (id, store_id, position, synced_at, max_staleness, user_type)
                                VALUES (1, ?, '', '-infinity', ?::interval, ?)
                                ON CONFLICT (id) DO UPDATE SET store_id = EXCLUDED.store_id, model_id = NULL, position = '', synced_at = '-infinity'""")) {
                            u.setString(1, client.store());
                            u.setString(2, maxStaleness.toMillis() + " milliseconds");
                            u.setString(3, userType);
                            u.executeUpdate();
                        }
                    }
                }
                if (latest != null && !latest.equals(modelId)) {
                    replaceModel(c, latest, client.model(latest));
                }
                c.commit();
                return position;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void replaceModel(Connection c, String id, Map<String, Object> model) throws SQLException {
        exec(c, "DELETE FROM latchkey.fga_model");
        try (PreparedStatement s = c.prepareStatement("INSERT INTO latchkey.fga_model (object_type, relation, rewrite) VALUES (?, ?, ?::jsonb)")) {
            for (Object o : (List<?>) model.get("type_definitions")) {
                Map<?, ?> td = (Map<?, ?>) o;
                Object rels = td.get("relations");
                if (!(rels instanceof Map<?, ?> relations)) {
                    continue;
                }
                for (Map.Entry<?, ?> r : relations.entrySet()) {
                    s.setString(1, (String) td.get("type"));
                    s.setString(2, (String) r.getKey());
                    @SuppressWarnings("unchecked")
                    Map<String, ?> rewrite = (Map<String, ?>) r.getValue();
                    s.setString(3, com.nimbusds.jose.util.JSONObjectUtils.toJSONString(rewrite));
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE latchkey.fga_mirror SET model_id = ? WHERE id = 1")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    /** One page of changes, in order, and the position after it, in one transaction. */
    private void apply(List<?> changes, String next) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement("""
                    INSERT INTO latchkey.fga_tuples (object_type, object_id, relation, user_type, user_id, user_relation, conditional)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (object_type, object_id, relation, user_type, user_id, user_relation) DO UPDATE SET conditional = EXCLUDED.conditional""");
                 PreparedStatement del = c.prepareStatement("""
                    DELETE FROM latchkey.fga_tuples WHERE object_type = ? AND object_id = ? AND relation = ? AND user_type = ? AND user_id = ?
                    AND user_relation = ?""")) {
                for (Object o : changes) {
                    Map<?, ?> ch = (Map<?, ?>) o;
                    Map<?, ?> k = (Map<?, ?>) ch.get("tuple_key");
                    boolean write = "TUPLE_OPERATION_WRITE".equals(ch.get("operation"));
                    PreparedStatement s = write ? up : del;
                    bindKey(s, (String) k.get("object"), (String) k.get("relation"), (String) k.get("user"));
                    if (write) {
                        s.setBoolean(7, k.get("condition") != null);
                    }
                    s.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE latchkey.fga_mirror SET position = ? WHERE id = 1")) {
                    p.setString(1, next);
                    p.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void finish(String position) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE latchkey.fga_mirror SET position = ?, synced_at = now(), max_staleness = ?::interval"
                     + " WHERE id = 1")) {
            s.setString(1, position);
            s.setString(2, maxStaleness.toMillis() + " milliseconds");
            s.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static void bindKey(PreparedStatement s, String object, String relation, String user) throws SQLException {
        int oc = object.indexOf(':');
        int hash = user.indexOf('#');
        String u = hash < 0 ? user : user.substring(0, hash);
        int uc = u.indexOf(':');
        s.setString(1, object.substring(0, oc));
        s.setString(2, object.substring(oc + 1));
        s.setString(3, relation);
        s.setString(4, u.substring(0, uc));
        s.setString(5, u.substring(uc + 1));
        s.setString(6, hash < 0 ? "" : user.substring(hash + 1));
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (loop != null) {
            loop.interrupt();
        }
    }
}
