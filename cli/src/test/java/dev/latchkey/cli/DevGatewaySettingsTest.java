package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.config.GatewayConfigLoader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway settings of {@code latchkey dev}: dev's values as defaults, every LATCHKEY_GATEWAY_* variable honoured or warned about. */
class DevGatewaySettingsTest {
    static final DevGatewaySettings.Dev DEV = new DevGatewaySettings.Dev("http://localhost:8080",
            "jdbc:postgresql://127.0.0.1:40000/postgres?user=postgres", MasterKey.generate().toBase64(), "http://127.0.0.1:8090", "text", "info");

    static GatewayConfig load(DevGatewaySettings s) {
        Map<String, String> env = new HashMap<>(s.env());
        env.putIfAbsent("LATCHKEY_GATEWAY_CLIENT_SECRET", "dev-registers-one");
        return GatewayConfigLoader.load(env);
    }

    @Test
    void withoutVariablesTheGatewayIsDevsOwn() {
        DevGatewaySettings s = DevGatewaySettings.of(Map.of("PATH", "/usr/bin"), null, DEV);
        GatewayConfig c = load(s);
        assertThat(s.ownClient()).isFalse();
        assertThat(s.warnings()).isEmpty();
        assertThat(s.fromEnvironment()).isEmpty();
        assertThat(c.http().port()).isEqualTo(8000);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.http().origin()).isEqualTo("http://localhost:8000");
        assertThat(c.client().issuer()).hasToString("http://localhost:8080");
        assertThat(c.client().clientId()).isEqualTo(DevStack.GATEWAY_CLIENT);
        assertThat(c.routing().api()).extracting(GatewayConfig.Route::prefix).containsExactly("/api/notes");
        assertThat(c.routing().frontend()).hasValueSatisfying(u -> assertThat(u).hasToString("http://127.0.0.1:8090"));
        assertThat(c.routing().protectedPaths()).containsExactly("/dashboard");
        assertThat(c.storage().database().jdbcUrl()).isEqualTo(DEV.databaseJdbcUrl());
        assertThat(c.ops().logFormat()).isEqualTo("text");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void everyVariableTheEnvironmentSetsWins() {
        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_GATEWAY_PORT", "9100");
        env.put("LATCHKEY_GATEWAY_PUBLIC_URL", "http://127.0.0.1:9100");
        env.put("LATCHKEY_GATEWAY_HOST", "0.0.0.0");
        env.put("LATCHKEY_GATEWAY_SESSION_IDLE", "5m");
        env.put("LATCHKEY_GATEWAY_ROUTES", "/api/mine=http://127.0.0.1:3001");
        env.put("LATCHKEY_GATEWAY_FRONTEND", "http://127.0.0.1:3000");
        env.put("LATCHKEY_GATEWAY_PROTECTED_PATHS", "/app");
        env.put("LATCHKEY_GATEWAY_ASSERTION_AUDIENCE", "my-app");
        env.put("LATCHKEY_GATEWAY_LOG_FORMAT", "json");
        env.put("LATCHKEY_GATEWAY_DATABASE_URL", "postgresql://gw@127.0.0.1:5432/gw");
        DevGatewaySettings s = DevGatewaySettings.of(env, null, DEV);
        GatewayConfig c = load(s);
        assertThat(s.warnings()).isEmpty();
        assertThat(s.fromEnvironment()).containsExactlyElementsOf(env.keySet().stream().sorted().toList());
        assertThat(c.http().port()).isEqualTo(9100);
        assertThat(c.http().host()).isEqualTo("0.0.0.0");
        assertThat(c.http().origin()).isEqualTo("http://127.0.0.1:9100");
        assertThat(c.sessions().idle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.routing().api()).extracting(GatewayConfig.Route::prefix).containsExactly("/api/mine");
        assertThat(c.routing().frontend()).hasValueSatisfying(u -> assertThat(u).hasToString("http://127.0.0.1:3000"));
        assertThat(c.routing().protectedPaths()).containsExactly("/app");
        assertThat(c.assertion().audience()).isEqualTo("my-app");
        assertThat(c.ops().logFormat()).isEqualTo("json");
        assertThat(c.storage().database().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/gw");
        // still dev's own client at dev's own server
        assertThat(c.client().clientId()).isEqualTo(DevStack.GATEWAY_CLIENT);
        assertThat(c.client().issuer()).hasToString("http://localhost:8080");
    }

    @Test
    void thePortFollowsTheOptionThenTheVariableAndThePublicUrlFollowsThePort() {
        assertThat(load(DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_PORT", "9200"), null, DEV)).http().origin())
                .isEqualTo("http://localhost:9200");
        DevGatewaySettings both = DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_PORT", "9200"), 9300, DEV);
        assertThat(load(both).http().port()).isEqualTo(9300);
        assertThat(both.warnings()).containsExactly("ignoring LATCHKEY_GATEWAY_PORT=9200: --gateway-port 9300 was given");
        assertThat(both.fromEnvironment()).isEmpty();
        int any = load(DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_PORT", "0"), null, DEV)).http().port();
        assertThat(any).as("0 is resolved to a real port: the client's redirect URI needs it").isPositive();
        assertThatThrownBy(() -> DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_PORT", "eighty"), null, DEV))
                .isInstanceOf(CliException.class).hasMessage("LATCHKEY_GATEWAY_PORT: not a port number: eighty");
    }

    @Test
    void whatCannotBeHonouredIsWarnedAboutOneLineEach() {
        DevGatewaySettings s = DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_ISSUER", "https://auth.example.com",
                "LATCHKEY_GATEWAY_CLIENT_ID", "mine"), null, DEV);
        GatewayConfig c = load(s);
        assertThat(s.warnings()).hasSize(2);
        assertThat(s.warnings().get(0)).startsWith("ignoring LATCHKEY_GATEWAY_ISSUER: ").contains("http://localhost:8080");
        assertThat(s.warnings().get(1)).startsWith("ignoring LATCHKEY_GATEWAY_CLIENT_ID: ")
                .contains("LATCHKEY_GATEWAY_CLIENT_SECRET").contains(DevStack.GATEWAY_CLIENT);
        assertThat(c.client().issuer()).hasToString("http://localhost:8080");
        assertThat(c.client().clientId()).isEqualTo(DevStack.GATEWAY_CLIENT);
        assertThat(s.ownClient()).isFalse();
    }

    @Test
    void aClientOfYourOwnNeedsItsIdAndSecret() {
        DevGatewaySettings s = DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_CLIENT_ID", "mine",
                "LATCHKEY_GATEWAY_CLIENT_SECRET", "its-secret"), null, DEV);
        assertThat(s.ownClient()).isTrue();
        assertThat(s.warnings()).isEmpty();
        GatewayConfig c = GatewayConfigLoader.load(s.env());
        assertThat(c.client().clientId()).isEqualTo("mine");
        assertThat(c.client().clientSecret()).isEqualTo("its-secret");
    }

    @Test
    void aMisspelledVariableReachesTheGatewaysOwnWarning() {
        DevGatewaySettings s = DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_ROUTS", "/x=http://127.0.0.1:1"), null, DEV);
        assertThat(load(s).warnings()).containsExactly("ignoring unknown environment variable LATCHKEY_GATEWAY_ROUTS");
    }

    @Test
    void theGatewaysRefreshLeaseIsCheckedAgainstTheServersGraceWindow() {
        assertThat(DevGatewaySettings.checkLease(Duration.ofSeconds(5), Duration.ofSeconds(10))).isEmpty();
        assertThat(DevGatewaySettings.checkLease(Duration.ofSeconds(2), Duration.ofSeconds(4))).isEmpty();
        assertThat(DevGatewaySettings.checkLease(Duration.ofSeconds(6), Duration.ofSeconds(10))).hasValueSatisfying(w -> assertThat(w)
                .startsWith("LATCHKEY_GATEWAY_REFRESH_LEASE (6s) is more than half of the server's tokens.refresh_grace (10s)")
                .contains("at most 5s"));
        assertThatThrownBy(() -> DevGatewaySettings.checkLease(Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .isInstanceOf(CliException.class)
                .hasMessage("LATCHKEY_GATEWAY_REFRESH_LEASE (10s) must stay below the server's tokens.refresh_grace (10s), at most half of it: "
                        + "raise LATCHKEY_TOKENS_REFRESH_GRACE to at least 20s or lower LATCHKEY_GATEWAY_REFRESH_LEASE");
        assertThatThrownBy(() -> DevGatewaySettings.checkLease(Duration.ofSeconds(5), Duration.ZERO)).isInstanceOf(CliException.class);
        // and dev passes the variable on to its gateway like any other
        GatewayConfig c = load(DevGatewaySettings.of(Map.of("LATCHKEY_GATEWAY_REFRESH_LEASE", "2s"), null, DEV));
        assertThat(c.sessions().refreshLease()).isEqualTo(Duration.ofSeconds(2));
    }
}
