package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.TestBrowser;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code latchkey dev --nextjs} as {@link DevStack} wires it: the Next.js example (built, {@code next start}) is the
 * gateway's frontend, the demo's notes API stays behind {@code /api/notes}, and a newcomer signs in and keeps notes.
 */
class DevStackNextjsBrowserTest {
    @Test
    void theNextjsExampleRunsBehindTheDevGateway() throws Exception {
        Path dir = NextjsExample.built();
        String demoDb = "lk_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (OidcFixture fx = new OidcFixture(Map.of()); TestBrowser tb = TestBrowser.launch()) {
            String email = fx.newUser();
            int gatewayPort = NextjsStack.freePort();
            try (DevStack stack = DevStack.start(fx.ts.server, java.util.Map.of(), gatewayPort, NextjsStack.freePort(), demoDb, "text", "warn",
                    new NextjsFrontend.Options(dir, NextjsStack.freePort()))) {
                String gw = "http://localhost:" + gatewayPort;
                assertThat(stack.nextjs()).isPresent();
                BrowserContext ctx = tb.browser.newContext();
                Page page = ctx.newPage();
                page.navigate(gw + "/dashboard");
                assertThat(page.url()).startsWith(fx.base + "/login");
                page.fill("#email", email);
                page.fill("#password", OidcFixture.PASSWORD);
                page.click("button[type=submit]");
                page.waitForURL(gw + "/dashboard");
                Response html = page.navigate(gw + "/dashboard");
                assertThat(html.text()).contains("<title>Latchkey notes (Next.js)</title>", "Hello, Olga");
                page.fill("#note-title", "From Next.js");
                page.click("#note-create");
                page.locator("#notes li", new Page.LocatorOptions().setHasText("From Next.js")).waitFor();
                page.locator("#summary", new Page.LocatorOptions().setHasText("1 note")).waitFor();
                ctx.close();
            } finally {
                try (Connection c = DriverManager.getConnection(fx.ts.db.adminJdbcUrl()); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + demoDb + " WITH (FORCE)");
                }
            }
        }
    }

    @Test
    void nextjsNeedsTheDemoAndABuiltExample() {
        try (CliFixture cli = new CliFixture()) {
            CliFixture.Result r = cli.run("dev", "--no-demo", "--nextjs");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--nextjs needs the gateway and the notes API");
        }
        NextjsFrontend.Options unbuilt = new NextjsFrontend.Options(Path.of("target", "no-such-nextjs-app"), 3999);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NextjsFrontend.start(unbuilt, "http://localhost:1", "latchkey-app", "http://127.0.0.1:1", l -> { }))
                .isInstanceOf(CliException.class).hasMessageContaining("is not built: run `npm ci && npm run build` there first");
    }
}
