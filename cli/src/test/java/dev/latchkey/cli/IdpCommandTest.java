package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.identity.IdentityProvider;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code latchkey idp list|add|remove}: stored providers, the secret encrypted at rest, configured ones read-only. */
class IdpCommandTest {
    CliFixture fx;

    @BeforeEach
    void setUp() {
        fx = new CliFixture();
        fx.env.put("LATCHKEY_IDP_PROVIDERS", "corp");
        fx.env.put("LATCHKEY_IDP_CORP_ISSUER", "https://sso.example.test/realms/corp");
        fx.env.put("LATCHKEY_IDP_CORP_CLIENT_ID", "latchkey");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void addListAndRemoveAStoredProvider() throws Exception {
        CliFixture.Result added = fx.run("idp", "add", "github", "--preset", "github", "--client-id", "Iv1.abc", "--label", "GitHub",
                "--set", "trusted_emails=true");
        assertThat(added.code()).as(added.toString()).isZero();
        assertThat(added.out()).contains("saved identity provider github");
        IdentityProvider p = fx.backend().signIn().federation().providers().find("github").orElseThrow();
        assertThat(p.policy().trustedEmails()).isTrue();
        assertThat(p.endpoints().emails()).isPresent();

        CliFixture.Result list = fx.run("idp", "list");
        assertThat(list.out()).contains("corp", "config", "github", "stored", "https://github.com/login/oauth/authorize");

        assertThat(fx.run("idp", "remove", "corp").code()).isNotZero();   // configured: read-only
        assertThat(fx.run("idp", "add", "Bad-Name", "--client-id", "x", "--issuer", "https://a.example.test").code()).isNotZero();
        assertThat(fx.run("idp", "add", "nope", "--client-id", "x", "--set", "colour=blue").code()).isNotZero();
        CliFixture.Result plainHttp = fx.run("idp", "add", "insecure", "--client-id", "x", "--issuer", "http://idp.example.test");
        assertThat(plainHttp.code()).isNotZero();
        assertThat(plainHttp.err()).contains("https");

        assertThat(fx.run("idp", "remove", "github").code()).isZero();
        assertThat(fx.run("idp", "remove", "github").code()).isNotZero();
        try (Connection c = fx.db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM identity_providers")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}
