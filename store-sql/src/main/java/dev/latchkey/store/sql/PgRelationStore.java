package dev.latchkey.store.sql;

import dev.latchkey.core.authz.FgaStore;
import dev.latchkey.core.authz.Page;
import dev.latchkey.core.authz.RelationStore;
import dev.latchkey.core.authz.StoredModel;
import dev.latchkey.core.authz.StoredTuple;
import dev.latchkey.core.authz.TupleChange;
import dev.latchkey.core.authz.TupleFilter;
import dev.latchkey.core.authz.WriteOutcome;
import dev.latchkey.core.authz.model.ModelJson;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.TupleCondition;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.Ulid;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The relation store on PostgreSQL (migration V20). Each write is one transaction of at most four statements
 * (deletes, inserts, and the change log, each over arrays with {@code unnest}); a conflict rolls all of it back.
 */
public final class PgRelationStore implements RelationStore {
    private static final String TUPLE_COLUMNS = "object_type, object_id, relation, user_type, user_id, user_relation, condition_name, condition_context";

    private final Jdbc jdbc;

    public PgRelationStore(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    // ---- stores and models

    @Override
    public FgaStore createStore(String id, String name, Optional<UUID> orgId, Instant now) {
        try {
            jdbc.update("INSERT INTO fga_stores (id, name, org_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)", id, name, orgId.orElse(null), now, now);
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException s && "23503".equals(s.getSQLState())) {   // foreign key: no such organization
                throw LatchkeyException.withMessage(ErrorCode.FGA_VALIDATION, "organization '" + orgId.orElse(null) + "' not found", "unknown org");
            }
            throw e;
        }
        return new FgaStore(id, name, orgId, Jdbc.micros(now), Jdbc.micros(now));
    }

    @Override
    public Optional<FgaStore> store(String id) {
        return jdbc.queryOne("SELECT * FROM fga_stores WHERE id = ?", PgRelationStore::storeRow, id);
    }

    @Override
    public Page<FgaStore> stores(int pageSize, String token, Optional<String> name) {
        String after = token == null || token.isEmpty() ? "" : decode(token, "s");
        List<FgaStore> rows = jdbc.query("SELECT * FROM fga_stores WHERE id > ? AND (?::text IS NULL OR name = ?) ORDER BY id LIMIT ?",
                PgRelationStore::storeRow, after, name.orElse(null), name.orElse(null), pageSize + 1);
        return page(rows, pageSize, s -> encode("s", s.id()));
    }

    @Override
    public boolean deleteStore(String id) {
        return jdbc.update("DELETE FROM fga_stores WHERE id = ?", id) == 1;
    }

    @Override
    public void saveModel(String store, StoredModel m) {
        jdbc.update("INSERT INTO fga_models (store_id, id, model, created_at) VALUES (?, ?, ?, ?)", store, m.model().id(),
                ModelJson.write(m.model()), m.createdAt());
        jdbc.update("UPDATE fga_stores SET updated_at = ? WHERE id = ?", m.createdAt(), store);
    }

    @Override
    public Optional<StoredModel> model(String store, String modelId) {
        return jdbc.queryOne("SELECT * FROM fga_models WHERE store_id = ? AND id = ?", PgRelationStore::modelRow, store, modelId);
    }

    @Override
    public Optional<StoredModel> latestModel(String store) {
        return jdbc.queryOne("SELECT * FROM fga_models WHERE store_id = ? ORDER BY id DESC LIMIT 1", PgRelationStore::modelRow, store);
    }

    @Override
    public Page<StoredModel> models(String store, int pageSize, String token) {
        String before = token == null || token.isEmpty() ? "\uffff" : decode(token, "m");
        List<StoredModel> rows = jdbc.query("SELECT * FROM fga_models WHERE store_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                PgRelationStore::modelRow, store, before, pageSize + 1);
        return page(rows, pageSize, m -> encode("m", m.model().id()));
    }

    // ---- writes

    /** Ends the transaction with an outcome other than success (rolled back by {@link Jdbc#inTransaction}). */
    private static final class Conflict extends RuntimeException {
        final WriteOutcome outcome;

        Conflict(WriteOutcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }

    @Override
    public WriteOutcome write(String store, List<RelationTuple> writes, boolean ignoreDuplicates, List<RelationTuple> deletes, boolean ignoreMissing,
                              Instant now) {
        try {
            return jdbc.inTransaction(c -> {
                List<RelationTuple> deleted = deletes.isEmpty() ? List.of() : delete(c, store, deletes);
                if (deleted.size() < deletes.size() && !ignoreMissing) {
                    Map<String, RelationTuple> gone = keyed(deleted);
                    throw new Conflict(new WriteOutcome.Missing(deletes.stream().filter(d -> !gone.containsKey(d.key())).findFirst().orElseThrow()));
                }
                List<RelationTuple> inserted = writes.isEmpty() ? List.of() : insert(c, store, writes, now);
                if (inserted.size() < writes.size()) {
                    Map<String, RelationTuple> in = keyed(inserted);
                    for (RelationTuple w : writes) {
                        if (!in.containsKey(w.key()) && (!ignoreDuplicates || !sameCondition(c, store, w))) {
                            throw new Conflict(new WriteOutcome.Duplicate(w));
                        }
                    }
                }
                if (!deleted.isEmpty() || !inserted.isEmpty()) {
                    // entries of one store become visible in seq order: the lock is held from here until the commit is visible
                    Jdbc.query(c, "SELECT pg_advisory_xact_lock(hashtextextended('latchkey.fga.changes:' || ?, 0))", rs -> 1, store);
                    log(c, store, "delete", deleted, now);
                    log(c, store, "write", inserted, now);
                }
                return new WriteOutcome.Written(inserted.size(), deleted.size());
            });
        } catch (Conflict e) {
            return e.outcome;
        }
    }

    private static List<RelationTuple> delete(Connection c, String store, List<RelationTuple> deletes) throws SQLException {
        Columns k = new Columns(deletes, null);
        return Jdbc.query(c, "DELETE FROM fga_tuples t USING unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                        + " AS d(object_type, object_id, relation, user_type, user_id, user_relation)"
                        + " WHERE t.store_id = ? AND t.object_type = d.object_type AND t.object_id = d.object_id AND t.relation = d.relation"
                        + " AND t.user_type = d.user_type AND t.user_id = d.user_id AND t.user_relation = d.user_relation"
                        + " RETURNING t.object_type, t.object_id, t.relation, t.user_type, t.user_id, t.user_relation, t.condition_name, t.condition_context",
                PgRelationStore::tupleRow, k.objectType, k.objectId, k.relation, k.userType, k.userId, k.userRelation, store);
    }

    private static List<RelationTuple> insert(Connection c, String store, List<RelationTuple> writes, Instant now) throws SQLException {
        Columns k = new Columns(writes, Clock.fixed(now, ZoneOffset.UTC));
        return Jdbc.query(c, "INSERT INTO fga_tuples (store_id, " + TUPLE_COLUMNS + ", ulid, inserted_at)"
                        + " SELECT ?, * , ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])"
                        + " ON CONFLICT DO NOTHING RETURNING " + TUPLE_COLUMNS,
                PgRelationStore::tupleRow, store, now, k.objectType, k.objectId, k.relation, k.userType, k.userId, k.userRelation, k.conditionName,
                k.conditionContext, k.ulid);
    }

    /** For {@code on_duplicate: ignore}: the stored tuple has the same condition (name and context) as the one written again. */
    private static boolean sameCondition(Connection c, String store, RelationTuple w) throws SQLException {
        List<RelationTuple> existing = Jdbc.query(c, "SELECT " + TUPLE_COLUMNS + " FROM fga_tuples WHERE store_id = ? AND object_type = ? AND object_id = ?"
                        + " AND relation = ? AND user_type = ? AND user_id = ? AND user_relation = ?", PgRelationStore::tupleRow, store,
                w.object().type(), w.object().id(), w.relation(), w.user().type(), w.user().id(), w.user().relation());
        return !existing.isEmpty() && existing.get(0).condition().equals(w.condition());
    }

    private static void log(Connection c, String store, String operation, List<RelationTuple> tuples, Instant now) throws SQLException {
        if (tuples.isEmpty()) {
            return;
        }
        Columns k = new Columns(tuples, null);
        Jdbc.update(c, "INSERT INTO fga_changes (store_id, operation, at, " + TUPLE_COLUMNS + ")"
                        + " SELECT ?, ?, ?, " + TUPLE_COLUMNS + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
                        + " ?::text[]) WITH ORDINALITY AS u(object_type, object_id, relation, user_type, user_id, user_relation, condition_name,"
                        + " condition_context, n) ORDER BY n",
                store, operation, now, k.objectType, k.objectId, k.relation, k.userType, k.userId, k.userRelation, k.conditionName, k.conditionContext);
    }

    /** Tuples as parallel arrays, one per column, for {@code unnest}. */
    private static final class Columns {
        final String[] objectType;
        final String[] objectId;
        final String[] relation;
        final String[] userType;
        final String[] userId;
        final String[] userRelation;
        final String[] conditionName;
        final String[] conditionContext;
        final String[] ulid;

        Columns(List<RelationTuple> ts, Clock clock) {
            int n = ts.size();
            objectType = new String[n];
            objectId = new String[n];
            relation = new String[n];
            userType = new String[n];
            userId = new String[n];
            userRelation = new String[n];
            conditionName = new String[n];
            conditionContext = new String[n];
            ulid = new String[n];
            for (int i = 0; i < n; i++) {
                RelationTuple t = ts.get(i);
                objectType[i] = t.object().type();
                objectId[i] = t.object().id();
                relation[i] = t.relation();
                userType[i] = t.user().type();
                userId[i] = t.user().id();
                userRelation[i] = t.user().relation();
                conditionName[i] = t.condition().map(TupleCondition::name).orElse(null);
                conditionContext[i] = t.condition().filter(x -> !x.context().isEmpty()).map(x -> x.context().json()).orElse(null);
                ulid[i] = clock == null ? null : Ulid.next(clock);
            }
        }
    }

    // ---- reads

    @Override
    public Page<StoredTuple> read(String store, TupleFilter f, int pageSize, String token) {
        String after = token == null || token.isEmpty() ? "" : decode(token, "t");
        List<String> ulids = new ArrayList<>();
        List<StoredTuple> rows = jdbc.query("SELECT " + TUPLE_COLUMNS + ", ulid, inserted_at FROM fga_tuples WHERE store_id = ? AND ulid > ?"
                        + " AND (?::text IS NULL OR object_type = ?) AND (?::text IS NULL OR object_id = ?) AND (?::text IS NULL OR relation = ?)"
                        + " AND (?::text IS NULL OR (user_type = ? AND user_id = ? AND user_relation = ?)) ORDER BY ulid LIMIT ?",
                rs -> {
                    ulids.add(rs.getString("ulid"));
                    return new StoredTuple(tupleRow(rs), Jdbc.instant(rs, "inserted_at"));
                }, store, after,
                f.objectType().orElse(null), f.objectType().orElse(null), f.objectId().orElse(null), f.objectId().orElse(null),
                f.relation().orElse(null), f.relation().orElse(null), f.user().map(User::type).orElse(null), f.user().map(User::type).orElse(null),
                f.user().map(User::id).orElse(null), f.user().map(User::relation).orElse(null), pageSize + 1);
        if (rows.size() <= pageSize) {
            return new Page<>(rows, "");
        }
        return new Page<>(rows.subList(0, pageSize), encode("t", ulids.get(pageSize - 1)));
    }

    @Override
    public Page<TupleChange> changes(String store, Optional<String> type, Optional<Instant> startTime, int pageSize, String token) {
        long after = token == null || token.isEmpty() ? 0 : parseSeq(decode(token, "c"));
        List<long[]> seqs = new ArrayList<>();
        List<TupleChange> rows = jdbc.query("SELECT seq, operation, at, " + TUPLE_COLUMNS + " FROM fga_changes WHERE store_id = ? AND seq > ?"
                        + " AND (?::text IS NULL OR object_type = ?) AND (?::timestamptz IS NULL OR at >= ?) ORDER BY seq LIMIT ?",
                rs -> {
                    seqs.add(new long[] {rs.getLong("seq")});
                    return new TupleChange(tupleRow(rs), rs.getString("operation").equals("write") ? TupleChange.Operation.WRITE
                            : TupleChange.Operation.DELETE, Jdbc.instant(rs, "at"));
                }, store, after, type.orElse(null), type.orElse(null), startTime.orElse(null), startTime.orElse(null), pageSize);
        if (rows.isEmpty()) {
            return new Page<>(rows, token == null ? "" : token);
        }
        return new Page<>(rows, encode("c", Long.toString(seqs.get(seqs.size() - 1)[0])));
    }

    @Override
    public List<RelationTuple> find(String store, ObjectRef object, String relation, Collection<User> users) {
        if (users.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT " + TUPLE_COLUMNS + " FROM fga_tuples WHERE store_id = ? AND object_type = ? AND object_id = ?"
                + " AND relation = ? AND (user_type, user_id, user_relation) IN (");
        List<Object> params = new ArrayList<>(List.of(store, object.type(), object.id(), relation));
        int i = 0;
        for (User u : users) {
            sql.append(i++ == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
            params.add(u.type());
            params.add(u.id());
            params.add(u.relation());
        }
        return jdbc.query(sql.append(")").toString(), PgRelationStore::tupleRow, params.toArray());
    }

    @Override
    public List<RelationTuple> usersets(String store, ObjectRef object, String relation) {
        return jdbc.query("SELECT " + TUPLE_COLUMNS + " FROM fga_tuples WHERE store_id = ? AND object_type = ? AND object_id = ? AND relation = ?"
                + " AND user_relation <> ''", PgRelationStore::tupleRow, store, object.type(), object.id(), relation);
    }

    @Override
    public List<RelationTuple> all(String store, ObjectRef object, String relation) {
        return jdbc.query("SELECT " + TUPLE_COLUMNS + " FROM fga_tuples WHERE store_id = ? AND object_type = ? AND object_id = ? AND relation = ?",
                PgRelationStore::tupleRow, store, object.type(), object.id(), relation);
    }

    @Override
    public List<RelationTuple> byUser(String store, User user, String objectType, Collection<String> relations) {
        return jdbc.query("SELECT " + TUPLE_COLUMNS + " FROM fga_tuples WHERE store_id = ? AND user_type = ? AND user_id = ? AND user_relation = ?"
                        + " AND (?::text[] IS NULL OR relation = ANY (?::text[])) AND (?::text IS NULL OR object_type = ?)",
                PgRelationStore::tupleRow, store, user.type(), user.id(), user.relation(),
                relations == null ? null : relations.toArray(String[]::new), relations == null ? null : relations.toArray(String[]::new),
                objectType, objectType);
    }

    // ---- rows and tokens

    static RelationTuple tupleRow(ResultSet rs) throws SQLException {
        String cond = rs.getString("condition_name");
        Optional<TupleCondition> condition = cond == null ? Optional.empty()
                : Optional.of(new TupleCondition(cond, ConditionContext.parse(rs.getString("condition_context"))));
        return new RelationTuple(new ObjectRef(rs.getString("object_type"), rs.getString("object_id")), rs.getString("relation"),
                new User(rs.getString("user_type"), rs.getString("user_id"), rs.getString("user_relation")), condition);
    }

    private static FgaStore storeRow(ResultSet rs) throws SQLException {
        return new FgaStore(rs.getString("id"), rs.getString("name"), Optional.ofNullable(Jdbc.uuid(rs, "org_id")), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    private static StoredModel modelRow(ResultSet rs) throws SQLException {
        return new StoredModel(ModelJson.parse(rs.getString("model")), Jdbc.instant(rs, "created_at"));
    }

    private static Map<String, RelationTuple> keyed(List<RelationTuple> ts) {
        Map<String, RelationTuple> m = new HashMap<>();
        ts.forEach(t -> m.put(t.key(), t));
        return m;
    }

    private static <T> Page<T> page(List<T> rows, int pageSize, java.util.function.Function<T, String> token) {
        if (rows.size() <= pageSize) {
            return new Page<>(rows, "");
        }
        List<T> page = rows.subList(0, pageSize);
        return new Page<>(page, token.apply(page.get(pageSize - 1)));
    }

    /** Tokens are opaque to clients: a kind letter and a position, base64url. */
    static String encode(String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String token, String kind) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(kind + ":")) {
                return s.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error
        }
        throw LatchkeyException.withMessage(ErrorCode.FGA_INVALID_CONTINUATION_TOKEN, "invalid continuation token", "bad token");
    }

    private static long parseSeq(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw LatchkeyException.withMessage(ErrorCode.FGA_INVALID_CONTINUATION_TOKEN, "invalid continuation token", "bad token");
        }
    }
}
