package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.JsClientBundle;
import dev.latchkey.testkit.TestBrowser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer does after {@code latchkey dev}, in Chromium, against the real server, gateway and demo app
 * wired by {@link DevStack}: open the dashboard, sign in on the hosted page, come back greeted by name in the
 * first HTML response, create a note through the gateway (Bearer token to the notes API, RLS in Postgres).
 * It also runs the browser client {@code @latchkey/client} (built from {@code clients/js}) in the page, in gateway
 * mode: {@code me()}, {@code fetch()} with the CSRF header, {@code logout()}, and the redirect to sign-in on 401.
 */
class DevStackBrowserTest {
    private static final Path CLIENT = Path.of("..", "clients", "js");

    @Test
    void signInThroughTheGatewayAndUseTheDemoAndTheBrowserClient() throws Exception {
        JsClientBundle client = JsClientBundle.built(CLIENT);
        String demoDb = "lk_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (OidcFixture fx = new OidcFixture(Map.of()); TestBrowser tb = TestBrowser.launch()) {
            String email = fx.newUser();                                     // named "Olga"
            int gatewayPort = freePort();
            try (DevStack stack = DevStack.start(fx.ts.server, gatewayPort, freePort(), demoDb, "text", "warn")) {
                String gw = "http://localhost:" + gatewayPort;
                BrowserContext ctx = tb.browser.newContext();
                Page page = ctx.newPage();
                page.route(gw + "/latchkey-client/**", route -> client.serve(route, "latchkey-client"));

                // protected page without a session → the hosted sign-in of the server
                page.navigate(gw + "/dashboard");
                assertThat(page.url()).startsWith(fx.base + "/login");
                page.fill("#email", email);
                page.fill("#password", OidcFixture.PASSWORD);
                page.click("button[type=submit]");
                page.waitForURL(gw + "/dashboard");

                List<Cookie> session = ctx.cookies(gw).stream().filter(c -> c.name.equals("__Host-lk-session")).toList();
                assertThat(session).hasSize(1);
                assertThat(session.get(0).httpOnly).isTrue();
                assertThat(session.get(0).secure).isTrue();

                Response first = page.navigate(gw + "/dashboard");
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.text()).contains("Olga");                 // no flash of logged-out HTML

                page.fill("#note-title", "Groceries");
                page.fill("#note-body", "milk, <b>bread</b>");
                page.click("#note-create");
                page.locator("#notes li", new Page.LocatorOptions().setHasText("Groceries")).waitFor();

                @SuppressWarnings("unchecked")
                Map<String, Object> seen = (Map<String, Object>) page.evaluate("""
                        async () => {
                          const { createGatewayClient } = await import('/latchkey-client/index.js');
                          const client = createGatewayClient();
                          const me = await client.me();
                          const created = await client.fetch('/api/notes', {
                            method: 'POST', headers: { 'Content-Type': 'application/json' },
                            body: JSON.stringify({ title: 'From the client', body: 'x' }) });
                          const list = await (await client.fetch('/api/notes')).json();
                          return { name: me.name, created: created.status,
                                   titles: list.notes.map((n) => n.title).sort().join('|') };
                        }""");
                assertThat(seen).containsEntry("name", "Olga").containsEntry("created", 201)
                        .containsEntry("titles", "From the client|Groceries");

                // logout through the client: the gateway ends its session and the browser follows RP-initiated logout
                page.evaluate("() => { import('/latchkey-client/index.js').then((m) => m.createGatewayClient().logout()); }");
                page.waitForURL(url -> url.equals(gw + "/") || url.startsWith(gw + "/?"), new Page.WaitForURLOptions().setTimeout(15_000));
                assertThat(ctx.cookies(gw).stream().map(c -> c.name)).doesNotContain("__Host-lk-session");

                // signed out: a call answered 401 sends the page to sign-in, returning to where it was
                page.evaluate("() => { import('/latchkey-client/index.js')"
                        + ".then((m) => m.createGatewayClient().fetch('/api/notes')).catch(() => {}); }");
                page.waitForURL(url -> url.startsWith(fx.base + "/login"), new Page.WaitForURLOptions().setTimeout(15_000));
                ctx.close();
            } finally {
                dropDatabase(fx, demoDb);
            }
        }
    }

    private static void dropDatabase(OidcFixture fx, String name) throws Exception {
        String url = fx.ts.db.adminJdbcUrl();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
