package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.authz.cel.CelConditions;
import dev.latchkey.core.authz.Consistency;
import dev.latchkey.core.authz.RelationService;
import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.testkit.memory.MemoryRelationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fan-out, time, list-size and batch limits, each a clear refusal (or, for lists, a shortened answer). */
class EngineLimitsTest {
    static final String MODEL = "model\n schema 1.1\ntype user\ntype group\n relations\n  define member: [user, group#member]\n"
            + "type doc\n relations\n  define viewer: [user, group#member]\n";

    private static RelationService service(Limits limits, MemoryRelationStore store) {
        return new RelationService(store, new CelConditions(), limits, Clock.systemUTC(), Duration.ZERO);
    }

    /** doc:1 is viewable by 200 groups, none of which holds the user: a check must look at each. */
    private static String wide(RelationService s) {
        String store = s.createStore("wide", Optional.empty()).id();
        s.writeModel(store, ModelDsl.parse(MODEL));
        for (int batch = 0; batch < 2; batch++) {
            List<RelationTuple> ts = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ts.add(RelationTuple.of("doc:1", "viewer", "group:g" + (batch * 100 + i) + "#member"));
            }
            s.write(store, Optional.empty(), ts, false, List.of(), false);
        }
        return store;
    }

    private static RelationService.Query q(String store) {
        return new RelationService.Query(store, Optional.empty(), List.of(), ConditionContext.EMPTY, Consistency.HIGHER_CONSISTENCY);
    }

    @Test
    void fanOutLimitRefusesAWideCheckAndADefaultOneAnswers() {
        MemoryRelationStore mem = new MemoryRelationStore();
        RelationService tight = service(Limits.DEFAULTS.withMaxDispatches(50), mem);
        String store = wide(tight);
        assertThatThrownBy(() -> tight.check(q(store), ObjectRef.parse("doc:1"), "viewer", User.parse("user:x")))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FGA_FAN_OUT);
                    assertThat(e.publicMessage()).contains("50");
                });
        assertThat(service(Limits.DEFAULTS, mem).check(q(store), ObjectRef.parse("doc:1"), "viewer", User.parse("user:x"))).isFalse();
    }

    @Test
    void deadlineRefusesASlowCheck() {
        MemoryRelationStore mem = new MemoryRelationStore();
        RelationService slow = service(Limits.DEFAULTS.withDeadline(Duration.ofNanos(1)), mem);
        String store = wide(service(Limits.DEFAULTS, mem));
        assertThatThrownBy(() -> slow.check(q(store), ObjectRef.parse("doc:1"), "viewer", User.parse("user:x")))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FGA_DEADLINE));
    }

    @Test
    void listsStopAtTheirMaximumAndBatchesAndWritesAreBounded() {
        MemoryRelationStore mem = new MemoryRelationStore();
        RelationService s = service(Limits.DEFAULTS.withMaxListResults(5), mem);
        String store = s.createStore("many", Optional.empty()).id();
        s.writeModel(store, ModelDsl.parse(MODEL));
        List<RelationTuple> ts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ts.add(RelationTuple.of("doc:" + i, "viewer", "user:u"));
        }
        s.write(store, Optional.empty(), ts, false, List.of(), false);
        assertThat(s.listObjects(q(store), "doc", "viewer", User.parse("user:u"))).hasSize(5);
        List<RelationTuple> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(RelationTuple.of("doc:x" + i, "viewer", "user:u"));
        }
        assertThatThrownBy(() -> s.write(store, Optional.empty(), tooMany, false, List.of(), false))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FGA_ENTITY_LIMIT));
        List<RelationService.BatchItem> items = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            items.add(new RelationService.BatchItem("c" + i, ObjectRef.parse("doc:1"), "viewer", User.parse("user:u"), List.of(),
                    ConditionContext.EMPTY));
        }
        assertThatThrownBy(() -> s.batchCheck(q(store), items)).hasMessageContaining("at most 50");
        assertThat(s.batchCheck(q(store), items.subList(0, 50))).hasSize(50)
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(new RelationService.BatchResult.Allowed(true)));
    }
}
