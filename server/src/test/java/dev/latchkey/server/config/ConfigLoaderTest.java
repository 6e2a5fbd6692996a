package dev.latchkey.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    @Test
    void defaultsInDevMode() {
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of(), Optional.empty(), Map.of());
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.http().issuer()).isEqualTo("http://localhost:8080");
        assertThat(c.tokens().accessTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.tokens().audience()).containsExactly("http://localhost:8080");
        assertThat(c.sessions().refreshGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.passwords().argon2MemoryKib()).isEqualTo(19456);
        assertThat(c.passwords().argon2Iterations()).isEqualTo(2);
        assertThat(c.passwords().argon2Parallelism()).isEqualTo(1);
        assertThat(c.storage().databaseUrl()).isEmpty();
        assertThat(c.http().secureCookies()).isTrue();
    }

    @Test
    void environmentOverridesFileOverridesDefaults(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latchkey.properties");
        Files.writeString(f, "http.port = 9000\ntokens.access_ttl = 2m\n");
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_HTTP_PORT", "9100"), Optional.of(f),
                Map.of("http.host", "127.0.0.1"));
        assertThat(c.http().port()).isEqualTo(9100);
        assertThat(c.tokens().accessTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
    }

    @Test
    void everyProblemIsReportedAtOnce(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "http.prot = 1\n");
        Map<String, String> env = Map.of(
                "LATCHKEY_HTTP_PORT", "eighty",
                "LATCHKEY_TOKENS_ACCESS_TTL", "1h",
                "LATCHKEY_PUBLIC_URL", "http://auth.example.com",
                "LATCHKEY_PASSWORDS_MIN_LENGTH", "4",
                "LATCHKEY_RATELIMIT_LOGIN_PER_IP", "many",
                "LATCHKEY_SESSIONS_BROWSER_IDLE", "2d");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, env, Optional.of(f), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(9)
                        .anyMatch(p -> p.contains("unknown setting 'http.prot'"))
                        .anyMatch(p -> p.contains("LATCHKEY_HTTP_PORT") && p.contains("eighty"))
                        .anyMatch(p -> p.contains("LATCHKEY_TOKENS_ACCESS_TTL"))
                        .anyMatch(p -> p.contains("LATCHKEY_PUBLIC_URL") && p.contains("https"))
                        .anyMatch(p -> p.contains("LATCHKEY_PASSWORDS_MIN_LENGTH"))
                        .anyMatch(p -> p.contains("LATCHKEY_RATELIMIT_LOGIN_PER_IP"))
                        .anyMatch(p -> p.contains("LATCHKEY_DATABASE_URL"))
                        .anyMatch(p -> p.contains("LATCHKEY_MASTER_KEY"))
                        .anyMatch(p -> p.contains("idle timeout")));
    }

    @Test
    void relationLimitsAreSettingsCheckedTogether() {
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_RELATIONS_MAX_DEPTH", "7",
                "LATCHKEY_RELATIONS_MAX_DISPATCHES", "500", "LATCHKEY_RELATIONS_MAX_LIST_DISPATCHES", "9000",
                "LATCHKEY_RELATIONS_DEADLINE", "250ms", "LATCHKEY_RELATIONS_MAX_LIST_RESULTS", "20"), Optional.empty(), Map.of());
        assertThat(c.relations().maxDepth()).isEqualTo(7);
        assertThat(c.relations().maxDispatches()).isEqualTo(500);
        assertThat(c.relations().maxListDispatches()).isEqualTo(9000);
        assertThat(c.relations().deadline()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.relations().maxListResults()).isEqualTo(20);
        assertThat(ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of(), Optional.empty(), Map.of()).relations())
                .isEqualTo(dev.latchkey.core.authz.engine.Limits.DEFAULTS);
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_RELATIONS_MAX_DEPTH", "0",
                "LATCHKEY_RELATIONS_MAX_DISPATCHES", "-1", "LATCHKEY_RELATIONS_MAX_LIST_DISPATCHES", "many",
                "LATCHKEY_RELATIONS_DEADLINE", "2m", "LATCHKEY_RELATIONS_MAX_LIST_RESULTS", "100001"), Optional.empty(), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.contains("LATCHKEY_RELATIONS_MAX_DEPTH") && p.contains("between 1 and 100"))
                        .anyMatch(p -> p.contains("LATCHKEY_RELATIONS_MAX_DISPATCHES"))
                        .anyMatch(p -> p.contains("LATCHKEY_RELATIONS_MAX_LIST_DISPATCHES") && p.contains("many"))
                        .anyMatch(p -> p.contains("LATCHKEY_RELATIONS_DEADLINE") && p.contains("60s"))
                        .anyMatch(p -> p.contains("LATCHKEY_RELATIONS_MAX_LIST_RESULTS")));
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_RELATIONS_DEADLINE", "0s"), Optional.empty(),
                Map.of())).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.contains("LATCHKEY_RELATIONS_DEADLINE")));
    }

    @Test
    void productionNeedsDatabaseMasterKeyAndHttps() {
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, Map.of(
                "LATCHKEY_DATABASE_URL", "postgresql://lk:s%40cret@db.internal:5433/latchkey?sslmode=require",
                "LATCHKEY_MASTER_KEY", KEY,
                "LATCHKEY_PUBLIC_URL", "https://auth.example.com/"), Optional.empty(), Map.of());
        assertThat(c.storage().databaseUrl().orElseThrow().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/latchkey?sslmode=require");
        assertThat(c.storage().databaseUrl().orElseThrow().password()).isEqualTo("s@cret");
        assertThat(c.http().issuer()).isEqualTo("https://auth.example.com");
        assertThat(c.storage().databaseUrl().orElseThrow().toString()).doesNotContain("s@cret");
    }

    @Test
    void unknownEnvironmentVariablesAreWarnedAbout() {
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_HTTP_PROT", "1", "LATCHKEY_TEST_DATABASE_URL", "x"),
                Optional.empty(), Map.of());
        assertThat(c.warnings()).containsExactly("ignoring unknown environment variable LATCHKEY_HTTP_PROT");
    }

    @Test
    void theLaunchersAndTheGatewaysVariablesAreNotUnknown() {
        // ./latchkey reads LATCHKEY_HOME, LATCHKEY_JAVA and LATCHKEY_JAVA_OPTS before Java starts; the gateway's
        // loader checks LATCHKEY_GATEWAY_* names itself (latchkey dev passes them on to it)
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_HOME", "/opt/latchkey",
                "LATCHKEY_JAVA", "/usr/lib/jvm/java-21/bin/java", "LATCHKEY_JAVA_OPTS", "-Xmx256m",
                "LATCHKEY_GATEWAY_PORT", "9000", "LATCHKEY_HTTP_PROT", "1"), Optional.empty(), Map.of());
        assertThat(c.warnings()).containsExactly("ignoring unknown environment variable LATCHKEY_HTTP_PROT");
    }

    @Test
    void theManagementPortIsOptionalAndMustNotBeTheHttpPort() {
        assertThat(ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of(), Optional.empty(), Map.of()).ops().managementPort()).isEmpty();
        assertThat(ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_MANAGEMENT_PORT", "9090"), Optional.empty(), Map.of())
                .ops().managementPort()).hasValue(9090);
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_MANAGEMENT_PORT", "8080"), Optional.empty(),
                Map.of())).hasMessageContaining("LATCHKEY_MANAGEMENT_PORT: must differ from LATCHKEY_HTTP_PORT");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_MANAGEMENT_PORT", "70000"), Optional.empty(),
                Map.of())).hasMessageContaining("LATCHKEY_MANAGEMENT_PORT: must be between 0 and 65535");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_MANAGEMENT_PORT", "metrics"), Optional.empty(),
                Map.of())).hasMessageContaining("LATCHKEY_MANAGEMENT_PORT (management.port): expected a whole number");
    }

    @Test
    void thePasskeyRpIdIsThePublicHostOrAParentDomainOfIt() {
        var rp = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of(), Optional.empty(), Map.of()).passkeys();
        assertThat(rp.id()).isEqualTo("localhost");
        assertThat(rp.origins()).containsExactly("http://localhost:8080");
        var parent = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_PUBLIC_URL", "https://login.example.com",
                "LATCHKEY_PASSKEYS_RP_ID", "example.com", "LATCHKEY_PASSKEYS_ORIGINS", "https://app.example.com"), Optional.empty(), Map.of())
                .passkeys();
        assertThat(parent.id()).isEqualTo("example.com");
        assertThat(parent.origins()).containsExactlyInAnyOrder("https://login.example.com", "https://app.example.com");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_PUBLIC_URL", "https://login.example.com",
                "LATCHKEY_PASSKEYS_RP_ID", "example.org"), Optional.empty(), Map.of()))
                .hasMessageContaining("LATCHKEY_PASSKEYS_RP_ID/LATCHKEY_PASSKEYS_ORIGINS: must be the public URL's host login.example.com "
                        + "or a parent domain of it: example.org");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_PUBLIC_URL", "https://login.example.com",
                "LATCHKEY_PASSKEYS_ORIGINS", "https://app.other.com"), Optional.empty(), Map.of()))
                .hasMessageContaining("origin https://app.other.com is not within RP ID login.example.com");
    }

    @Test
    void theDocumentedReferenceMatchesTheCode() throws IOException {
        Path doc = Path.of("..", "docs", "configuration.md");
        assertThat(doc).exists();
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is out of date: regenerate it with `./latchkey config docs > docs/configuration.md`")
                .isEqualTo(ConfigReference.markdown());
    }
}
