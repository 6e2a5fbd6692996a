package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.latchkey.testkit.TestBrowser;
import dev.latchkey.testkit.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in real Chromium, behind {@link TestGateway}'s stand-in for the gateway (the real one is tested
 * with the app by the integrator) and with real access tokens from a real Latchkey server: sign-in redirect,
 * greeting, creating and deleting notes through the page's script under the strict CSP, markup kept as text,
 * going to login on a 401, and signing out.
 */
class DashboardBrowserTest {
    static TestLatchkey latchkey;
    static TestPostgres.Database db;
    static TestGateway gateway;
    static DemoApp app;
    static TestBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = TestBrowser.launch();
        latchkey = TestLatchkey.start();
        db = TestPostgres.createDatabase();
        gateway = new TestGateway();
        app = DemoApp.start(DemoConfig.of(latchkey.base, gateway.url, db.jdbcUrl(), 0));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (db != null) {
            db.close();
        }
        if (latchkey != null) {
            latchkey.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    static TestGateway.Session session(TestLatchkey.User u, String name, String token) {
        return new TestGateway.Session(u.id(), u.email(), name, token);
    }

    @Test
    void signInCreateAndDeleteNotesAndSignOut() {
        TestLatchkey.User ada = latchkey.signUp("Ada");
        String name = "Ada <script>window.pwned=1</script>";
        gateway.proxyTo("http://127.0.0.1:" + app.port(), () -> session(ada, name, ada.token()));
        try (BrowserContext context = browser.browser.newContext()) {
            Page page = context.newPage();
            List<String> console = new ArrayList<>();
            page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
            page.onResponse(r -> {
                if (r.status() >= 400) {
                    console.add("response " + r.status() + " " + r.url());
                }
            });

            page.navigate(gateway.url + "/dashboard");   // app: 303 to login → stand-in signs in → back to /dashboard
            assertThat(page.url()).isEqualTo(gateway.url + "/dashboard");
            assertThat(page.textContent("#greeting")).isEqualTo("Hello, " + name);
            page.waitForSelector("#status:has-text('No notes yet.')");

            String title = "<img src=x onerror=\"window.pwned=1\">";
            page.fill("#note-title", title);
            page.fill("#note-body", "first line\n<b>second</b>");
            page.click("#note-create");
            page.waitForSelector("#notes li");
            assertThat(page.textContent("#notes li h3")).isEqualTo(title);
            assertThat(page.textContent("#notes li p")).isEqualTo("first line\n<b>second</b>");
            assertThat(page.locator("#notes img").count()).isZero();
            assertThat(page.locator("#notes b").count()).isZero();
            assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
            assertThat(page.inputValue("#note-title")).isEmpty();

            // the note is the user's, as the API (behind RLS) sees it
            Http.Response listed = new Http("http://127.0.0.1:" + app.port()).get("/api/notes", "Authorization", "Bearer " + ada.token());
            assertThat(listed.json().get("notes")).hasSize(1);
            assertThat(listed.json().get("notes").get(0).get("owner_id").asText()).isEqualTo(ada.id());

            page.fill("#note-title", "second note");
            page.click("#note-create");
            page.waitForFunction("() => document.querySelectorAll('#notes li').length === 2");
            assertThat(page.textContent("#notes li:first-child h3")).isEqualTo("second note");

            page.click("#notes li:first-child .note-delete");
            page.waitForFunction("() => document.querySelectorAll('#notes li').length === 1");
            assertThat(page.textContent("#notes li h3")).isEqualTo(title);

            page.click("#sign-out");
            page.waitForURL(gateway.url + "/?signed-out=1");
            assertThat(page.locator("#sign-in").isVisible()).isTrue();
            assertThat(console).noneMatch(m -> m.contains("Content Security Policy") || m.startsWith("error") || m.startsWith("response"));
        }
    }

    @Test
    void aRefusedTokenSendsThePageToLogin() {
        TestLatchkey.User bea = latchkey.signUp("Bea");
        AtomicReference<String> nextToken = new AtomicReference<>("not-a-valid-token");
        gateway.proxyTo("http://127.0.0.1:" + app.port(), () -> session(bea, "Bea", nextToken.getAndSet(bea.token())));
        int before = gateway.logins.get();
        try (BrowserContext context = browser.browser.newContext()) {
            Page page = context.newPage();
            // first sign-in relays a token the API refuses: the script's 401 handling signs in again
            page.navigate(gateway.url + "/dashboard");
            page.waitForSelector("#status:has-text('No notes yet.')", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED));
            assertThat(gateway.logins.get() - before).isEqualTo(2);
            assertThat(page.url()).isEqualTo(gateway.url + "/dashboard");
            assertThat(page.textContent("#greeting")).isEqualTo("Hello, Bea");
        }
    }
}
