package dev.latchkey.core.authz.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelDslTest {
    static final String MODEL = """
            model
              schema 1.1   # the only version
            # a comment line
            type user
            type group
              relations
                define member: [user, user:*, group#member]
            type document
              relations
                define parent: [document]
                define owner: [user with ok]
                define blocked: [user]
                define editor: [user] or owner
                define viewer: ([user, group#member] or editor or viewer from parent) but not blocked
                define auditor: editor and (owner or blocked)
            condition ok(x: int, names: list<string>, at: timestamp) {
              x > 1 &&
              "a" in names
            }
            """;

    @Test
    void parsesEveryConstruct() {
        AuthorizationModel m = ModelDsl.parse(MODEL);
        assertThat(m.types()).containsOnlyKeys("user", "group", "document");
        RelationDefinition member = m.relation("group", "member").orElseThrow();
        assertThat(member.directTypes()).containsExactly(TypeRestriction.of("user"),
                new TypeRestriction("user", Optional.empty(), true, Optional.empty()),
                new TypeRestriction("group", Optional.of("member"), false, Optional.empty()));
        assertThat(m.relation("document", "owner").orElseThrow().directTypes())
                .containsExactly(new TypeRestriction("user", Optional.empty(), false, Optional.of("ok")));
        Rewrite viewer = m.relation("document", "viewer").orElseThrow().rewrite();
        assertThat(viewer).isEqualTo(new Rewrite.Exclusion(new Rewrite.Union(List.of(new Rewrite.Direct(), new Rewrite.Computed("editor"),
                new Rewrite.TupleToUserset("parent", "viewer"))), new Rewrite.Computed("blocked")));
        assertThat(m.relation("document", "auditor").orElseThrow().rewrite()).isEqualTo(new Rewrite.Intersection(List.of(
                new Rewrite.Computed("editor"), new Rewrite.Union(List.of(new Rewrite.Computed("owner"), new Rewrite.Computed("blocked"))))));
        ConditionDefinition ok = m.conditions().get("ok");
        assertThat(ok.expression()).isEqualTo("x > 1 &&\n  \"a\" in names");
        assertThat(ok.parameters().get("names")).isEqualTo(new ParamType(ParamType.Name.LIST, List.of(ParamType.of(ParamType.Name.STRING))));
    }

    @Test
    void jsonRoundTripKeepsTheModel() {
        AuthorizationModel m = ModelDsl.parse(MODEL).withId("01HVMMBCMGZNT3SED4Z17ECXCA");
        String json = ModelJson.write(m);
        assertThat(json).contains("\"directly_related_user_types\"", "\"tupleToUserset\"", "\"TYPE_NAME_TIMESTAMP\"", "\"difference\"");
        assertThat(ModelJson.parse(json)).isEqualTo(m);
    }

    @Test
    void readsOpenFgaJson() {
        String json = """
                {"schema_version":"1.1","type_definitions":[{"type":"user","relations":{},"metadata":null},
                 {"type":"doc","relations":{"viewer":{"union":{"child":[{"this":{}},{"computedUserset":{"object":"","relation":"owner"}}]}},
                  "owner":{"this":{}}},
                  "metadata":{"relations":{"viewer":{"directly_related_user_types":[{"type":"user"},{"type":"user","wildcard":{}}]},
                   "owner":{"directly_related_user_types":[{"type":"user","condition":""}]}},"module":"","source_info":null}}],
                 "conditions":{}}""";
        AuthorizationModel m = ModelJson.parse(json);
        assertThat(m.relation("doc", "viewer").orElseThrow().directTypes()).hasSize(2);
        assertThat(m.relation("doc", "owner").orElseThrow().directTypes()).containsExactly(TypeRestriction.of("user"));
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> ModelDsl.parse("model\n  schema 1.1\ntype user\n  relations\n    define a: [user] xor b\n"))
                .isInstanceOfSatisfying(LatchkeyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FGA_INVALID_MODEL);
                    assertThat(e.publicMessage()).contains("line 5").contains("xor");
                });
        assertThatThrownBy(() -> ModelDsl.parse("model\n  schema 1.0\n")).hasMessageContaining("unsupported schema version");
        assertThatThrownBy(() -> ModelDsl.parse("type user\n")).hasMessageContaining("starts with 'model'");
        assertThatThrownBy(() -> ModelDsl.parse("model\n schema 1.1\ntype user\ntype user\n")).hasMessageContaining("defined twice");
        assertThatThrownBy(() -> ModelDsl.parse("model\n schema 1.1\ntype d\n relations\n  define a: b but not c but not d\n"))
                .hasMessageContaining("one operand");
    }

    @Test
    void jsonErrorsAreSpecific() {
        assertThatThrownBy(() -> ModelJson.parse("{\"schema_version\":\"1.0\",\"type_definitions\":[]}")).hasMessageContaining("1.1");
        assertThatThrownBy(() -> ModelJson.parse("{\"schema_version\":\"1.1\",\"type_definitions\":[{\"type\":\"d\",\"relations\":"
                + "{\"a\":{\"nope\":{}}}}]}")).hasMessageContaining("unknown rewrite 'nope'");
        assertThatThrownBy(() -> ModelJson.parse("{not json")).hasMessageContaining("JSON object");
    }
}
