package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.identity.ClaimMapping;
import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.Preset;
import dev.latchkey.core.identity.ProviderEndpoints;
import dev.latchkey.core.identity.ProviderPolicy;
import dev.latchkey.core.identity.ProviderType;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link dev.latchkey.core.identity.ProviderStore} must do. */
public abstract class ProviderStoreContract {
    protected abstract dev.latchkey.core.identity.ProviderStore store();

    static IdentityProvider oidc(String name, String secret) {
        return new IdentityProvider(name, ProviderType.OIDC, Preset.OIDC, "Corp SSO",
                ProviderEndpoints.ofIssuer(URI.create("https://sso.example.test/realms/corp")), "latchkey", secret,
                List.of("openid", "email"), ClaimMapping.OIDC, new ProviderPolicy(false, true, List.of("example.test"), true, false), true,
                Optional.empty());
    }

    @Test
    void aSavedProviderComesBackWhole() {
        IdentityProvider p = oidc("corp" + System.nanoTime() % 100000, "s3cret-value");
        store().save(p);
        assertThat(store().find(p.name())).contains(p);
        assertThat(store().list()).contains(p);
    }

    @Test
    void gitHubStyleProvidersKeepTheirEndpointsAndMapping() {
        var t = Preset.GITHUB.template(Optional.empty(), Optional.empty());
        IdentityProvider p = new IdentityProvider("gh" + System.nanoTime() % 100000, t.type(), Preset.GITHUB, null, t.endpoints(), "Iv1.abc",
                "secret", t.scopes(), t.claims(), ProviderPolicy.DEFAULT, false, Optional.empty());
        store().save(p);
        assertThat(store().find(p.name())).contains(p);
    }

    @Test
    void saveReplacesAndDeleteRemoves() {
        IdentityProvider p = oidc("corp" + System.nanoTime() % 100000, "one");
        store().save(p);
        IdentityProvider q = oidc(p.name(), null).withEnabled(false);
        store().save(q);
        assertThat(store().find(p.name())).contains(q);
        assertThat(store().delete(p.name())).isTrue();
        assertThat(store().delete(p.name())).isFalse();
        assertThat(store().find(p.name())).isEmpty();
    }
}
