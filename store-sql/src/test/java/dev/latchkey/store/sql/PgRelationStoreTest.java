package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.authz.Page;
import dev.latchkey.core.authz.StoredTuple;
import dev.latchkey.core.authz.TupleChange;
import dev.latchkey.core.authz.TupleFilter;
import dev.latchkey.core.authz.WriteOutcome;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.TupleCondition;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.Ulid;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The relation store on PostgreSQL: OpenFGA's write semantics, atomicity, concurrency and the change log's order. */
class PgRelationStoreTest {
    static StoreFixture f;
    static PgRelationStore store;

    @BeforeAll
    static void open() {
        f = new StoreFixture();
        store = new PgRelationStore(f.jdbc);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    private static String newStore() {
        return store.createStore(Ulid.next(Clock.systemUTC()), "t", Optional.empty(), Instant.now()).id();
    }

    private static RelationTuple t(String s) {
        int hash = s.indexOf('#');
        int at = s.indexOf('@', hash);
        return RelationTuple.of(s.substring(0, hash), s.substring(hash + 1, at), s.substring(at + 1));
    }

    private static RelationTuple withCondition(RelationTuple t, String name, String context) {
        return new RelationTuple(t.object(), t.relation(), t.user(), Optional.of(new TupleCondition(name, ConditionContext.parse(context))));
    }

    @Test
    void duplicatesAndMissingDeletesFailTheWholeWriteUnlessIgnored() {
        String s = newStore();
        Instant now = Instant.now();
        assertThat(store.write(s, List.of(t("doc:1#viewer@user:a")), false, List.of(), false, now)).isEqualTo(new WriteOutcome.Written(1, 0));
        // a second write with a new tuple and an existing one writes neither
        assertThat(store.write(s, List.of(t("doc:1#viewer@user:b"), t("doc:1#viewer@user:a")), false, List.of(), false, now))
                .isEqualTo(new WriteOutcome.Duplicate(t("doc:1#viewer@user:a")));
        assertThat(store.find(s, t("doc:1#viewer@user:b").object(), "viewer", List.of(User.parse("user:b")))).isEmpty();
        // ignored: the identical tuple is skipped, the new one written
        assertThat(store.write(s, List.of(t("doc:1#viewer@user:b"), t("doc:1#viewer@user:a")), true, List.of(), false, now))
                .isEqualTo(new WriteOutcome.Written(1, 0));
        // ignored, but the same key with another condition is still a conflict
        RelationTuple conditional = withCondition(t("doc:1#viewer@user:a"), "c", "{\"x\":1}");
        assertThat(store.write(s, List.of(conditional), true, List.of(), false, now)).isEqualTo(new WriteOutcome.Duplicate(conditional));
        // a missing delete fails, and rolls back the delete of an existing tuple in the same request
        assertThat(store.write(s, List.of(), false, List.of(t("doc:1#viewer@user:a"), t("doc:1#viewer@user:zz")), false, now))
                .isEqualTo(new WriteOutcome.Missing(t("doc:1#viewer@user:zz")));
        assertThat(store.all(s, t("doc:1#viewer@user:a").object(), "viewer")).hasSize(2);
        assertThat(store.write(s, List.of(), false, List.of(t("doc:1#viewer@user:a"), t("doc:1#viewer@user:zz")), true, now))
                .isEqualTo(new WriteOutcome.Written(0, 1));
        // conditions and their context survive the round trip
        RelationTuple c2 = withCondition(t("doc:2#viewer@group:g#member"), "c", "{\"x\":1,\"l\":[\"a\"]}");
        store.write(s, List.of(c2), false, List.of(), false, now);
        assertThat(store.usersets(s, c2.object(), "viewer")).containsExactly(c2);
        assertThat(store.byUser(s, User.parse("group:g#member"), "doc", List.of("viewer"))).containsExactly(c2);
        assertThat(store.byUser(s, User.parse("group:g#member"), "folder", null)).isEmpty();
    }

    @Test
    void concurrentWritersOfOneTupleOneWins() throws Exception {
        String s = newStore();
        int n = 12;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<WriteOutcome>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store.write(s, List.of(t("doc:x#owner@user:same")), false, List.of(), false, Instant.now());
                }));
            }
            go.countDown();
            int written = 0;
            for (Future<WriteOutcome> r : results) {
                if (r.get() instanceof WriteOutcome.Written) {
                    written++;
                } else {
                    assertThat(r.get()).isInstanceOf(WriteOutcome.Duplicate.class);
                }
            }
            assertThat(written).isEqualTo(1);
        }
        assertThat(store.changes(s, Optional.empty(), Optional.empty(), 100, "").items()).hasSize(1);
    }

    @Test
    void aReaderFollowingTheChangeLogMissesNothingWhileWritersCommitConcurrently() throws Exception {
        String s = newStore();
        int writers = 6;
        int each = 30;
        Set<String> seen = new HashSet<>();
        String token = "";
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        store.write(s, List.of(t("doc:" + id + "-" + i + "#viewer@user:u")), false, List.of(), false, Instant.now());
                    }
                }));
            }
            boolean done = false;
            while (!done) {
                done = fs.stream().allMatch(Future::isDone);
                Page<TupleChange> p;
                do {
                    p = store.changes(s, Optional.empty(), Optional.empty(), 7, token);
                    for (TupleChange c : p.items()) {
                        assertThat(seen.add(c.tuple().key())).as("each change once").isTrue();
                    }
                    token = p.continuationToken();
                } while (!p.items().isEmpty());
            }
            for (Future<?> x : fs) {
                x.get();
            }
        }
        assertThat(seen).hasSize(writers * each);
        assertThat(store.changes(s, Optional.empty(), Optional.empty(), 10, token).continuationToken()).isEqualTo(token);
    }

    @Test
    void readsPageAndTokensAreChecked() {
        String s = newStore();
        List<RelationTuple> ts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ts.add(t("doc:" + i + "#viewer@user:u" + (i % 2)));
        }
        store.write(s, ts, false, List.of(), false, Instant.now());
        Set<String> all = new HashSet<>();
        String token = "";
        do {
            Page<StoredTuple> p = store.read(s, TupleFilter.ALL, 10, token);
            p.items().forEach(x -> all.add(x.tuple().key()));
            token = p.continuationToken();
        } while (!token.isEmpty());
        assertThat(all).hasSize(25);
        Page<StoredTuple> byUser = store.read(s, new TupleFilter(Optional.of("doc"), Optional.empty(), Optional.empty(),
                Optional.of(User.parse("user:u1"))), 100, "");
        assertThat(byUser.items()).hasSize(12);
        assertThatThrownBy(() -> store.read(s, TupleFilter.ALL, 10, "garbage!")).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FGA_INVALID_CONTINUATION_TOKEN));
        String changesToken = store.changes(s, Optional.empty(), Optional.empty(), 5, "").continuationToken();
        assertThatThrownBy(() -> store.read(s, TupleFilter.ALL, 10, changesToken)).isInstanceOf(LatchkeyException.class);
        assertThat(store.changes(s, Optional.of("folder"), Optional.empty(), 100, "").items()).isEmpty();
        assertThat(store.changes(s, Optional.of("doc"), Optional.of(Instant.now().plusSeconds(60)), 100, "").items()).isEmpty();
        assertThat(store.deleteStore(s)).isTrue();
        assertThat(store.store(s)).isEmpty();
    }
}
