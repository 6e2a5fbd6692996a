package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.testkit.TestBrowser;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A frontend's own "Sign in with Corp" link: {@code /auth/login?idp=corp&returnTo=…} on the gateway, through the server's
 * authorization endpoint straight to the upstream provider (mock-oauth2-server), in real Chromium, landing signed in
 * with the server's unified user id.
 */
class GatewayIdpBrowserTest {
    static TestBrowser browser;
    static MockOAuth2Server upstream;
    static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        browser = TestBrowser.launch();
        upstream = new MockOAuth2Server();
        upstream.start(InetAddress.getByName("127.0.0.1"), 0);
        String issuer = upstream.issuerUrl("corp").toString().replace("127.0.0.1", "localhost").replaceAll("/$", "");
        f = new GatewayFixture(Map.of("LATCHKEY_IDP_PROVIDERS", "corp", "LATCHKEY_IDP_CORP_ISSUER", issuer,
                "LATCHKEY_IDP_CORP_CLIENT_ID", "latchkey", "LATCHKEY_IDP_CORP_CLIENT_SECRET", "corp-secret",
                "LATCHKEY_IDP_CORP_LABEL", "Corp SSO"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
        if (upstream != null) {
            upstream.shutdown();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theIdpHintThroughTheGatewayLandsSignedInWithTheUnifiedId() {
        String email = "gw-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "gw-" + email, "JWT", List.of("latchkey"),
                Map.of("email", email, "email_verified", true, "name", "Gina"), 3600));
        BrowserContext context = browser.browser.newContext();
        try {
            Page page = context.newPage();
            page.navigate(f.publicUrl + "/auth/login?idp=corp&returnTo=%2Fdashboard");
            page.waitForURL(f.publicUrl + "/dashboard");
            assertThat(page.textContent("#hello")).isEqualTo("Hello, Gina");
            String sub = (String) page.evaluate("async () => (await (await fetch('/auth/me')).json()).sub");
            page.navigate(f.idp.base + "/account");
            assertThat(page.textContent("#identities")).contains("Corp SSO");
            assertThat(sub).isEqualTo(page.textContent("dd code"));
        } finally {
            context.close();
        }
    }
}
