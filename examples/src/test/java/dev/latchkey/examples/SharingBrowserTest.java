package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.testkit.TestBrowser;
import dev.latchkey.testkit.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sharing on the dashboard in headless Chromium: the owner shares a note with another user through the form, the
 * other user's dashboard lists it (as someone else's, without a delete button), the owner removes the share, and
 * it is gone from the other dashboard — under the pages' CSP, with no console errors or failed requests.
 */
class SharingBrowserTest {
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
        String secret = latchkey.registerClient("""
                {"client_id":"demo-notes","grant_types":["client_credentials"],"scope":"latchkey:revocations latchkey:fga"}""");
        app = DemoApp.start(DemoConfig.of(latchkey.base, gateway.url, db.jdbcUrl(), 0).withFeed("demo-notes", secret));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {app, gateway, db, latchkey, browser}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Page open(BrowserContext context, List<String> problems) {
        Page page = context.newPage();
        page.onConsoleMessage(m -> problems.add(m.type() + ": " + m.text()));
        page.onResponse(r -> {
            if (r.status() >= 400) {
                problems.add("response " + r.status() + " " + r.url());
            }
        });
        page.navigate(gateway.url + "/dashboard");
        assertThat(page.url()).isEqualTo(gateway.url + "/dashboard");
        return page;
    }

    @Test
    void anOwnerSharesANoteAndTakesItBack() {
        TestLatchkey.User ada = latchkey.signUp("Ada");
        TestLatchkey.User bob = latchkey.signUp("Bob");
        AtomicReference<TestGateway.Session> next = new AtomicReference<>(new TestGateway.Session(ada.id(), ada.email(), "Ada", ada.token()));
        gateway.proxyTo("http://127.0.0.1:" + app.port(), next::get);
        List<String> problems = new ArrayList<>();
        try (BrowserContext adaContext = browser.browser.newContext(); BrowserContext bobContext = browser.browser.newContext()) {
            Page adaPage = open(adaContext, problems);
            assertThat(adaPage.textContent("#user-id")).isEqualTo(ada.id());
            adaPage.fill("#note-title", "plans for <b>bob</b>");
            adaPage.click("#note-create");
            adaPage.waitForSelector("#notes li .note-share");
            adaPage.fill("#notes li .share-with", "user:" + bob.id());
            adaPage.selectOption("#notes li .share-relation", "viewer");
            adaPage.click("#notes li .note-share");
            adaPage.waitForSelector("#notes li .note-shares li:has-text('" + bob.id() + "')");

            next.set(new TestGateway.Session(bob.id(), bob.email(), "Bob", bob.token()));
            Page bobPage = open(bobContext, problems);
            bobPage.waitForSelector("#notes li h3");
            assertThat(bobPage.textContent("#notes li h3")).isEqualTo("plans for <b>bob</b>");
            assertThat(bobPage.textContent("#notes li .note-shared-by")).isEqualTo("From user:" + ada.id());
            assertThat(bobPage.locator("#notes li .note-delete").count()).isZero();
            assertThat(bobPage.locator("#notes li .note-share").count()).isZero();

            adaPage.click("#notes li .note-unshare");
            adaPage.waitForFunction("() => document.querySelectorAll('#notes li .note-shares li').length === 0");
            bobPage.reload();
            bobPage.waitForSelector("#status:has-text('No notes yet.')");
            assertThat(bobPage.locator("#notes li").count()).isZero();
        }
        assertThat(problems).noneMatch(m -> m.contains("Content Security Policy") || m.startsWith("error") || m.startsWith("response"));
    }
}
