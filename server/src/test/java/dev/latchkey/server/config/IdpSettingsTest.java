package dev.latchkey.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.ProviderType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity providers in the configuration: idp.<name>.<field> in the file, LATCHKEY_IDP_<NAME>_<FIELD> over it, every problem at once. */
class IdpSettingsTest {
    @Test
    void providersComeFromTheFileAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latchkey.properties");
        Files.writeString(f, """
                idp.providers = github, corp
                idp.github.preset = github
                idp.github.client_id = from-file
                idp.corp.issuer = https://sso.example.test/realms/corp
                idp.corp.client_id = latchkey
                idp.corp.allowed_domains = example.test
                """);
        LatchkeyConfig c = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_IDP_GITHUB_CLIENT_ID", "from-env",
                "LATCHKEY_IDP_GITHUB_CLIENT_SECRET", "s3cret"), Optional.of(f), Map.of());
        assertThat(c.identityProviders()).extracting(IdentityProvider::name).containsExactly("github", "corp");
        IdentityProvider gh = c.identityProviders().get(0);
        assertThat(gh.clientId()).isEqualTo("from-env");
        assertThat(gh.type()).isEqualTo(ProviderType.OAUTH2);
        assertThat(c.identityProviders().get(1).policy().allowedDomains()).containsExactly("example.test");
        assertThat(c.warnings()).noneMatch(w -> w.contains("LATCHKEY_IDP_"));
        assertThat(gh.toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsReportedWithTheVariableToFix(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("latchkey.properties");
        Files.writeString(f, "idp.corp.colour = blue\n");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of(), Optional.of(f), Map.of()))
                .hasMessageContaining("unknown setting 'idp.corp.colour'");
        assertThatThrownBy(() -> ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of("LATCHKEY_IDP_PROVIDERS", "corp,Bad-Name,corp",
                "LATCHKEY_IDP_CORP_CLIENT_ID", "x", "LATCHKEY_IDP_CORP_ISSUER", "http://sso.example.test"), Optional.empty(), Map.of()))
                .hasMessageContaining("LATCHKEY_IDP_CORP_").hasMessageContaining("https")
                .hasMessageContaining("'Bad-Name' is not a provider name").hasMessageContaining("listed twice");
    }
}
