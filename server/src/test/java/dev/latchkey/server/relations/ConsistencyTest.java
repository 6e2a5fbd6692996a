package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.authz.cel.CelConditions;
import dev.latchkey.core.authz.Consistency;
import dev.latchkey.core.authz.RelationService;
import dev.latchkey.core.authz.engine.Limits;
import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.core.authz.tuple.ConditionContext;
import dev.latchkey.core.authz.tuple.ObjectRef;
import dev.latchkey.core.authz.tuple.RelationTuple;
import dev.latchkey.core.authz.tuple.User;
import dev.latchkey.testkit.memory.MemoryRelationStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The consistency options on two nodes sharing one store: MINIMIZE_LATENCY may answer from cached tuples on a node
 * that did not write, the writing node reads its own writes at once, and HIGHER_CONSISTENCY always sees every write.
 */
class ConsistencyTest {
    static final String MODEL = "model\n schema 1.1\ntype user\ntype doc\n relations\n  define viewer: [user]\n";

    static RelationService node(MemoryRelationStore shared) {
        return new RelationService(shared, new CelConditions(), Limits.DEFAULTS, Clock.systemUTC(), Duration.ofHours(1));
    }

    static RelationService.Query q(String store, Consistency c) {
        return new RelationService.Query(store, Optional.empty(), List.of(), ConditionContext.EMPTY, c);
    }

    @Test
    void minimizeLatencyIsCachedElsewhereButReadYourWritesHoldsOnTheWriter() {
        MemoryRelationStore shared = new MemoryRelationStore();
        RelationService a = node(shared);
        RelationService b = node(shared);
        String store = a.createStore("c", Optional.empty()).id();
        a.writeModel(store, ModelDsl.parse(MODEL));
        ObjectRef doc = ObjectRef.parse("doc:1");
        User ann = User.parse("user:ann");
        assertThat(a.check(q(store, Consistency.MINIMIZE_LATENCY), doc, "viewer", ann)).isFalse();   // a caches "no tuple"
        assertThat(b.check(q(store, Consistency.MINIMIZE_LATENCY), doc, "viewer", ann)).isFalse();

        b.write(store, Optional.empty(), List.of(RelationTuple.of("doc:1", "viewer", "user:ann")), false, List.of(), false);

        assertThat(b.check(q(store, Consistency.MINIMIZE_LATENCY), doc, "viewer", ann)).as("the writer reads its write").isTrue();
        assertThat(a.check(q(store, Consistency.MINIMIZE_LATENCY), doc, "viewer", ann)).as("another node within the TTL").isFalse();
        assertThat(a.check(q(store, Consistency.UNSPECIFIED), doc, "viewer", ann)).isFalse();
        assertThat(a.check(q(store, Consistency.HIGHER_CONSISTENCY), doc, "viewer", ann)).isTrue();
        assertThat(a.listObjects(q(store, Consistency.HIGHER_CONSISTENCY), "doc", "viewer", ann)).containsExactly("doc:1");
    }

    @Test
    void aNewModelIsUsedAtOnceByTheNodeThatWroteIt() {
        MemoryRelationStore shared = new MemoryRelationStore();
        RelationService a = node(shared);
        String store = a.createStore("m", Optional.empty()).id();
        String first = a.writeModel(store, ModelDsl.parse(MODEL));
        assertThat(a.compiled(store, Optional.empty(), Consistency.MINIMIZE_LATENCY).id()).isEqualTo(first);
        String second = a.writeModel(store, ModelDsl.parse(MODEL + "  define editor: [user]\n"));
        assertThat(a.compiled(store, Optional.empty(), Consistency.MINIMIZE_LATENCY).id()).isEqualTo(second);
        assertThat(a.compiled(store, Optional.of(first), Consistency.MINIMIZE_LATENCY).id()).as("old versions stay").isEqualTo(first);
    }
}
