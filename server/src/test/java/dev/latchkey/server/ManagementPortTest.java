package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code LATCHKEY_MANAGEMENT_PORT}: {@code /metrics} moves to the operators' listener; health is on both; the rest stays public. */
class ManagementPortTest {
    @Test
    void withAManagementPortMetricsAreServedOnlyThere() {
        try (TestServer ts = TestServer.start(Map.of("LATCHKEY_MANAGEMENT_PORT", "0"))) {
            assertThat(ts.server.managementPort()).isPresent();
            Http pub = new Http(ts.base);
            Http mgmt = new Http("http://localhost:" + ts.server.managementPort().getAsInt());
            assertThat(pub.get("/health/live").status()).isEqualTo(200);

            Http.Response hidden = pub.get("/metrics");
            assertThat(hidden.status()).isEqualTo(404);
            assertThat(hidden.code()).isEqualTo("not_found");
            Http.Response metrics = mgmt.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            assertThat(metrics.body()).contains("latchkey_http_requests_seconds_count");

            for (Http h : new Http[] {pub, mgmt}) {
                assertThat(h.get("/health/live").status()).isEqualTo(200);
                Http.Response ready = h.get("/health/ready");
                assertThat(ready.status()).isEqualTo(200);
                assertThat(ready.json().path("database").asText()).isEqualTo("up");
            }
            // the management listener serves operators only: no JWKS, no sign-in, no admin API
            assertThat(pub.get("/.well-known/jwks.json").status()).isEqualTo(200);
            assertThat(mgmt.get("/.well-known/jwks.json").status()).isEqualTo(404);
            assertThat(mgmt.get("/.well-known/openid-configuration").status()).isEqualTo(404);
            assertThat(mgmt.postJson("/api/auth/login", "{}").status()).isEqualTo(404);
        }
    }

    @Test
    void withoutOneMetricsAreOnTheHttpPort() {
        try (TestServer ts = TestServer.start()) {
            assertThat(ts.server.managementPort()).isEmpty();
            assertThat(new Http(ts.base).get("/health/live").status()).isEqualTo(200);
            Http.Response metrics = new Http(ts.base).get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("latchkey_http_requests_seconds");
        }
    }
}
