package dev.latchkey.server.relations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.authz.model.ModelDsl;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine limits as settings ({@code LATCHKEY_RELATIONS_*}), over {@code /fga} on a real server:
 * each configured limit is the one a query meets, and a check past its deadline answers 504
 * {@code deadline_exceeded} as OpenFGA does.
 */
class FgaLimitSettingsTest {
    static final String ADMIN_KEY = "lka_fga-limits-test-bootstrap-key-0123456789abcdef";
    static final String MODEL = "model\n schema 1.1\ntype user\ntype group\n relations\n  define member: [user, group#member]\n"
            + "type doc\n relations\n  define viewer: [user, group#member]\n";

    static String[] admin() {
        return new String[] {"Authorization", "Bearer " + ADMIN_KEY};
    }

    /** A store where doc:1 is viewable by 120 groups (wide) and doc:2 by group:n0, the head of 6 nested groups ending in user:deep. */
    static String store(Http http) {
        String store = http.postJson("/fga/stores", "{\"name\":\"limits\"}", admin()).json().get("id").asText();
        assertThat(http.postJson("/fga/stores/" + store + "/authorization-models",
                dev.latchkey.core.authz.model.ModelJson.write(ModelDsl.parse(MODEL)), admin()).status()).isEqualTo(201);
        for (int batch = 0; batch < 2; batch++) {
            StringBuilder w = new StringBuilder("{\"writes\":{\"tuple_keys\":[");
            for (int i = 0; i < 60; i++) {
                w.append(i == 0 ? "" : ",").append("{\"user\":\"group:g").append(batch * 60 + i)
                        .append("#member\",\"relation\":\"viewer\",\"object\":\"doc:1\"}");
            }
            assertThat(http.postJson("/fga/stores/" + store + "/write", w.append("]}}").toString(), admin()).status()).isEqualTo(200);
        }
        StringBuilder chain = new StringBuilder("{\"writes\":{\"tuple_keys\":[");
        for (int i = 0; i < 6; i++) {
            chain.append(i == 0 ? "" : ",").append("{\"user\":\"group:n").append(i + 1).append("#member\",\"relation\":\"member\",")
                    .append("\"object\":\"group:n").append(i).append("\"}");
        }
        chain.append(",{\"user\":\"group:n0#member\",\"relation\":\"viewer\",\"object\":\"doc:2\"}");
        chain.append(",{\"user\":\"user:deep\",\"relation\":\"member\",\"object\":\"group:n6\"}");
        assertThat(http.postJson("/fga/stores/" + store + "/write", chain.append("]}}").toString(), admin()).status()).isEqualTo(200);
        return store;
    }

    static Http.Response check(Http http, String store, String user, String doc) {
        return http.postJson("/fga/stores/" + store + "/check", "{\"tuple_key\":{\"user\":\"" + user
                + "\",\"relation\":\"viewer\",\"object\":\"" + doc + "\"},\"consistency\":\"HIGHER_CONSISTENCY\"}", admin());
    }

    @Test
    void theConfiguredDepthAndFanOutAreTheOnesAQueryMeets() {
        try (TestServer ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY, "LATCHKEY_RELATIONS_MAX_DEPTH", "4",
                "LATCHKEY_RELATIONS_MAX_DISPATCHES", "60", "LATCHKEY_RELATIONS_MAX_LIST_RESULTS", "3"))) {
            Http http = new Http(ts.base);
            String store = store(http);
            Http.Response deep = check(http, store, "user:deep", "doc:2");
            assertThat(deep.status()).as(deep.body()).isEqualTo(400);
            assertThat(deep.json().get("code").asText()).isEqualTo("authorization_model_resolution_too_complex");
            assertThat(deep.json().get("message").asText()).contains("4");
            Http.Response wide = check(http, store, "user:nobody", "doc:1");
            assertThat(wide.status()).as(wide.body()).isEqualTo(400);
            assertThat(wide.json().get("code").asText()).isEqualTo("resolution_fan_out_exceeded");
            assertThat(wide.json().get("message").asText()).contains("60");
            Http.Response list = http.postJson("/fga/stores/" + store + "/list-objects",
                    "{\"type\":\"group\",\"relation\":\"member\",\"user\":\"group:n6#member\"}", admin());
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            assertThat(list.json().get("objects")).hasSizeLessThanOrEqualTo(3);
        }
        // the defaults answer both
        try (TestServer ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY))) {
            Http http = new Http(ts.base);
            String store = store(http);
            assertThat(check(http, store, "user:deep", "doc:2").json().get("allowed").asBoolean()).isTrue();
            assertThat(check(http, store, "user:nobody", "doc:1").json().get("allowed").asBoolean()).isFalse();
        }
    }

    @Test
    void aCheckPastTheConfiguredDeadlineAnswers504DeadlineExceeded() {
        try (TestServer ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY, "LATCHKEY_RELATIONS_DEADLINE", "1ms"))) {
            Http http = new Http(ts.base);
            String store = store(http);
            // 120 groups to look into, each a round trip to PostgreSQL: far more than a millisecond
            Http.Response r = check(http, store, "user:nobody", "doc:1");
            assertThat(r.status()).as(r.body()).isEqualTo(504);
            assertThat(r.json().get("code").asText()).isEqualTo("deadline_exceeded");
            assertThat(r.json().get("message").asText()).isNotBlank();
        }
    }
}
