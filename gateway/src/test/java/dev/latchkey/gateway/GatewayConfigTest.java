package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.config.GatewayConfigException;
import dev.latchkey.gateway.config.GatewayConfigLoader;
import dev.latchkey.gateway.config.GatewaySetting;
import dev.latchkey.gateway.config.GatewaySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    static Map<String, String> minimal() {
        Map<String, String> e = new HashMap<>();
        e.put("LATCHKEY_GATEWAY_ISSUER", "https://auth.example.com");
        e.put("LATCHKEY_GATEWAY_CLIENT_ID", "gateway");
        e.put("LATCHKEY_GATEWAY_CLIENT_SECRET", "secret-value");
        e.put("LATCHKEY_GATEWAY_DATABASE_URL", "postgresql://gw:pw@db:5432/gateway");
        e.put("LATCHKEY_GATEWAY_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        return e;
    }

    @Test
    void defaultsAreSafeAndRoutesAreOrderedLongestPrefixFirst() {
        Map<String, String> e = minimal();
        e.put("LATCHKEY_GATEWAY_ROUTES", "/api=http://127.0.0.1:9000, /api/notes=http://127.0.0.1:8001/");
        e.put("LATCHKEY_GATEWAY_PROTECTED_PATHS", "/dashboard/,/account");
        GatewayConfig c = GatewayConfigLoader.load(e);
        assertThat(c.routing().api()).extracting(GatewayConfig.Route::prefix).containsExactly("/api/notes", "/api");
        assertThat(c.routing().api().get(0).upstream().toString()).isEqualTo("http://127.0.0.1:8001");
        assertThat(c.routing().protectedPaths()).containsExactly("/dashboard", "/account");
        assertThat(c.sessions().idle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.sessions().absolute()).isEqualTo(Duration.ofHours(12));
        assertThat(c.sessions().refreshSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.client().scope()).isEqualTo("openid profile email offline_access");
        assertThat(c.client().postLogoutRedirectUri().toString()).isEqualTo("http://localhost:8000/");
        assertThat(c.http().redirectUri()).isEqualTo("http://localhost:8000/auth/callback");
        assertThat(c.assertion().audience()).isEqualTo("latchkey-app");
        assertThat(c.proxy().retryBodyMax()).isEqualTo(64 * 1024);
        assertThat(c.proxy().bodyMax()).isEqualTo(10 * 1024 * 1024);
        assertThat(c.toString()).doesNotContain("secret-value", "pw@");
        assertThat(new GatewayConfig.Route("/api/notes", null).matches("/api/notesx")).isFalse();
        assertThat(new GatewayConfig.Route("/api/notes", null).matches("/api/notes/1")).isTrue();
    }

    @Test
    void everyProblemIsReportedAtOnceAndSecretsAreNotEchoed() {
        Map<String, String> e = new HashMap<>();
        e.put("LATCHKEY_GATEWAY_PUBLIC_URL", "http://app.example.com");
        e.put("LATCHKEY_GATEWAY_ROUTES", "/auth/x=http://a,/bad");
        e.put("LATCHKEY_GATEWAY_SESSION_KEY", "short-secret");
        e.put("LATCHKEY_GATEWAY_SESSION_IDLE", "2h");
        e.put("LATCHKEY_GATEWAY_SESSION_ABSOLUTE", "1h");
        e.put("LATCHKEY_GATEWAY_REFRESH_SKEW", "soon");
        e.put("LATCHKEY_GATEWAY_SCOPE", "profile");
        e.put("LATCHKEY_GATEWAY_DEFAULT_PAGE", "//evil.com");
        e.put("LATCHKEY_GATEWAY_FRONTEND", "http://127.0.0.1:8002/app");
        assertThatThrownBy(() -> GatewayConfigLoader.load(e)).isInstanceOfSatisfying(GatewayConfigException.class, ex -> {
            assertThat(ex.problems()).anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_ISSUER: required"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_CLIENT_ID: required"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_CLIENT_SECRET: required"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_DATABASE_URL: required"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_PUBLIC_URL: must be https"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_ROUTES"))
                    .anyMatch(p -> p.equals("LATCHKEY_GATEWAY_SESSION_KEY: invalid value"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_SESSION_IDLE: must not exceed"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_REFRESH_SKEW"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_SCOPE: must contain openid"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_DEFAULT_PAGE"))
                    .anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_FRONTEND"));
            assertThat(ex.getMessage()).doesNotContain("short-secret");
        });
    }

    @Test
    void unknownVariablesAreWarnedAbout() {
        Map<String, String> e = minimal();
        e.put("LATCHKEY_GATEWAY_ROUTS", "/x=http://a");
        assertThat(GatewayConfigLoader.load(e).warnings()).containsExactly("ignoring unknown environment variable LATCHKEY_GATEWAY_ROUTS");
    }

    @Test
    void aRefreshSkewThatCanNeverApplyIsWarnedAbout() {
        Map<String, String> e = minimal();
        e.put("LATCHKEY_GATEWAY_REFRESH_SKEW", "2m");
        assertThat(GatewayConfigLoader.load(e).warnings()).singleElement().asString()
                .startsWith("LATCHKEY_GATEWAY_REFRESH_SKEW: 2m never applies");
        e.put("LATCHKEY_GATEWAY_REFRESH_SKEW", "90s");
        assertThat(GatewayConfigLoader.load(e).warnings()).isEmpty();
    }

    @Test
    void theRefreshLeaseDefaultsWellInsideTheServersGraceWindowAndIsBounded() {
        Map<String, String> e = minimal();
        GatewayConfig c = GatewayConfigLoader.load(e);
        assertThat(c.sessions().refreshLease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.warnings()).isEmpty();
        e.put("LATCHKEY_GATEWAY_REFRESH_LEASE", "1s");
        assertThat(GatewayConfigLoader.load(e).sessions().refreshLease()).isEqualTo(Duration.ofSeconds(1));
        e.put("LATCHKEY_GATEWAY_REFRESH_LEASE", "8s");
        assertThat(GatewayConfigLoader.load(e).warnings()).singleElement().asString()
                .startsWith("LATCHKEY_GATEWAY_REFRESH_LEASE: 8s is more than half of the server's default tokens.refresh_grace (10s)")
                .contains("LATCHKEY_TOKENS_REFRESH_GRACE");
        for (String bad : new String[] {"500ms", "31s", "1m"}) {
            e.put("LATCHKEY_GATEWAY_REFRESH_LEASE", bad);
            assertThatThrownBy(() -> GatewayConfigLoader.load(e)).as(bad).isInstanceOfSatisfying(GatewayConfigException.class,
                    ex -> assertThat(ex.problems()).singleElement().asString().startsWith("LATCHKEY_GATEWAY_REFRESH_LEASE: must be between 1s"));
        }
        e.put("LATCHKEY_GATEWAY_REFRESH_LEASE", "soon");
        assertThatThrownBy(() -> GatewayConfigLoader.load(e)).isInstanceOfSatisfying(GatewayConfigException.class,
                ex -> assertThat(ex.problems()).singleElement().asString().startsWith("LATCHKEY_GATEWAY_REFRESH_LEASE: not a duration"));
    }

    @Test
    void theProxyBodyLimitIsASizeAndARetryBufferAboveItIsWarnedAbout() {
        Map<String, String> e = minimal();
        e.put("LATCHKEY_GATEWAY_PROXY_BODY_MAX", "32KiB");
        GatewayConfig c = GatewayConfigLoader.load(e);
        assertThat(c.proxy().bodyMax()).isEqualTo(32 * 1024);
        assertThat(c.warnings()).singleElement().asString().startsWith("LATCHKEY_GATEWAY_RETRY_BODY_MAX (64KiB) exceeds LATCHKEY_GATEWAY_PROXY_BODY_MAX (32KiB)");
        e.put("LATCHKEY_GATEWAY_PROXY_BODY_MAX", "lots");
        assertThatThrownBy(() -> GatewayConfigLoader.load(e)).isInstanceOfSatisfying(GatewayConfigException.class,
                ex -> assertThat(ex.problems()).anyMatch(p -> p.startsWith("LATCHKEY_GATEWAY_PROXY_BODY_MAX: not a size")));
        e.put("LATCHKEY_GATEWAY_PROXY_BODY_MAX", "0");
        assertThatThrownBy(() -> GatewayConfigLoader.load(e)).isInstanceOfSatisfying(GatewayConfigException.class,
                ex -> assertThat(ex.problems()).contains("LATCHKEY_GATEWAY_PROXY_BODY_MAX: must be at least 1 byte"));
    }

    @Test
    void docsDescribeEverySetting() throws Exception {
        String docs = Files.readString(Path.of("../docs/gateway.md"));
        for (GatewaySetting s : GatewaySettings.ALL) {
            assertThat(docs).as("docs/gateway.md documents " + s.envName()).contains("`" + s.envName() + "`");
        }
    }
}
