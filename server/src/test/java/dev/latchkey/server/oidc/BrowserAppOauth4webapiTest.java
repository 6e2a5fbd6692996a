package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latchkey.testkit.NodeProject;
import dev.latchkey.testkit.TestBrowser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A single-page application on its own origin, signing in with oauth4webapi inside Chromium: a
 * public client that exchanges the code, refreshes, calls userinfo and revokes, all by
 * cross-origin fetch from the page. This is where CORS on the provider's endpoints matters, which
 * no server-side client can show.
 */
class BrowserAppOauth4webapiTest {
    static final Path SPA = Oauth4webapiTest.PROJECT.resolve("spa");

    static TestBrowser chrome;
    static OidcFixture fx;
    static HttpServer app;

    @BeforeAll
    static void start() throws IOException {
        chrome = TestBrowser.launch();
        NodeProject.prepare(Oauth4webapiTest.PROJECT);           // the browser loads oauth4webapi from its node_modules
        fx = new OidcFixture(Map.of());
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String origin = "http://127.0.0.1:" + app.getAddress().getPort();
        fx.register("""
                {"client_id":"browser-app","client_name":"Browser App","token_endpoint_auth_method":"none",
                 "redirect_uris":["%s/callback"],"grant_types":["authorization_code","refresh_token"],
                 "scope":"openid profile offline_access"}""".formatted(origin));
        String config = """
                {"issuer":"%s","client_id":"browser-app","redirect_uri":"%s/callback"}""".formatted(fx.base, origin);
        app.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/", "/callback" -> serve(ex, "text/html; charset=utf-8", Files.readAllBytes(SPA.resolve("index.html")));
                case "/spa.mjs" -> serve(ex, "text/javascript", Files.readAllBytes(SPA.resolve("spa.mjs")));
                case "/oauth4webapi.js" -> serve(ex, "text/javascript",
                        Files.readAllBytes(Oauth4webapiTest.PROJECT.resolve("node_modules/oauth4webapi/build/index.js")));
                case "/config.json" -> serve(ex, "application/json", config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                default -> {
                    ex.sendResponseHeaders(404, -1);
                    ex.close();
                }
            }
        });
        app.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        app.start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.stop(0);
        }
        if (fx != null) {
            fx.close();
        }
        if (chrome != null) {
            chrome.close();
        }
    }

    static void serve(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void aPublicClientInTheBrowserSignsInRefreshesCallsUserinfoAndRevokes() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            StringBuilder console = new StringBuilder();
            page.onConsoleMessage(m -> console.append(m.type()).append(": ").append(m.text()).append('\n'));
            page.navigate("http://127.0.0.1:" + app.getAddress().getPort() + "/");
            page.waitForURL(fx.base + "/login?**");
            page.fill("#email", email);
            page.fill("#password", OidcFixture.PASSWORD);
            page.click("button[type=submit]");
            page.waitForURL(fx.base + "/oauth2/consent?**");
            page.click("#allow");
            page.waitForURL("**/callback?**");
            page.waitForFunction("() => document.getElementById('result').textContent || document.getElementById('error').textContent");
            String error = page.locator("#error").textContent();
            assertThat(error).as("the page's error (console:%n%s)", console).isEmpty();
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
            assertThat(page.locator("#result").textContent()).isEqualTo(
                    "{\"token\":\"ok\",\"refresh\":\"rotated\",\"userinfo\":\"ok\",\"revocation\":\"invalid_grant\","
                            + "\"afterRevocation\":\"challenge:invalid_token\"}");
        }
    }
}
