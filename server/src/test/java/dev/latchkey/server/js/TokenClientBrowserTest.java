package dev.latchkey.server.js;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.JsClientBundle;
import dev.latchkey.testkit.TestBrowser;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code @latchkey/client} in token-in-memory mode, in Chromium, against the real first-party API: two tabs of one
 * site share the HttpOnly refresh cookie, and when both need a new access token at once, the Web Lock and the
 * BroadcastChannel of the real browser make exactly one refresh reach the server; the other tab adopts its token.
 * The page and the built client are served by Playwright on the server's own origin ({@code /__test/…} never
 * reaches the server), so the cookie and the API are same-origin as in a real deployment.
 */
class TokenClientBrowserTest {
    private static final Path CLIENT = Path.of("..", "clients", "js");
    private static final String PASSWORD = "correct horse battery staple 42";

    @Test
    void twoTabsNeedingATokenAtOnceShareOneRefresh() {
        JsClientBundle client = JsClientBundle.built(CLIENT);
        try (TestServer ts = TestServer.start(); TestBrowser tb = TestBrowser.launch()) {
            String email = "tabs-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            Http.Response signup = new Http(ts.base).postJson("/api/auth/signup",
                    "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Tabitha\"}");
            assertThat(signup.status()).as(signup.body()).isEqualTo(201);

            BrowserContext ctx = tb.browser.newContext();
            ctx.route(ts.base + "/__test/page.html", route -> route.fulfill(new Route.FulfillOptions()
                    .setStatus(200).setContentType("text/html; charset=utf-8").setBody(PAGE)));
            ctx.route(ts.base + "/__test/client/**", route -> client.serve(route, "__test/client"));
            List<String> refreshes = new CopyOnWriteArrayList<>();
            ctx.onRequest(r -> {
                if (r.url().endsWith("/api/auth/refresh")) {
                    refreshes.add(r.url());
                }
            });
            Page first = ctx.newPage();
            first.navigate(ts.base + "/__test/page.html");
            Object me = first.evaluate("async ([email, password]) => { await window.client.login(email, password);"
                    + " return (await window.client.me()).name; }", List.of(email, PASSWORD));
            assertThat(me).isEqualTo("Tabitha");

            Page second = ctx.newPage();
            second.navigate(ts.base + "/__test/page.html");
            assertThat(second.evaluate("() => window.client.getAccessToken()")).as("a new tab holds no token").isNull();
            refreshes.clear();

            // both tabs ask for a fresh token at the same moment
            first.evaluate("() => { window.result = window.client.refresh(); }");
            second.evaluate("() => { window.result = window.client.refresh(); }");
            String a = (String) first.evaluate("() => window.result");
            String b = (String) second.evaluate("() => window.result");

            assertThat(a).isNotBlank().isEqualTo(b);
            assertThat(refreshes).as("refresh requests reaching the server").hasSize(1);
            assertThat(second.evaluate("async () => (await (await window.client.fetch('/api/auth/me')).json()).email")).isEqualTo(email);

            // logging out in one tab ends the session in the other too
            first.evaluate("() => window.client.logout()");
            second.waitForFunction("() => window.ended === true");
            assertThat(second.evaluate("() => window.client.getAccessToken()")).isNull();
            ctx.close();
        }
    }

    private static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>tabs</title>
            <script type="module">
              import { createTokenClient } from '/__test/client/index.js';
              window.ended = false;
              window.client = createTokenClient({ baseUrl: '', onSessionEnded: () => { window.ended = true; } });
            </script>""";
}
