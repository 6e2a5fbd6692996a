package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.server.Http;
import dev.latchkey.testkit.TestBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The organization chooser in real Chromium: a person in two organizations signs in to a web application (a
 * {@link TinyRelyingParty}), is asked which organization to use it with, clicks the second, and the application's
 * access token is for that one; a person in one organization is never asked.
 */
class OrgChooserBrowserTest {
    static TestBrowser chrome;
    static OidcFixture fx;
    static TinyRelyingParty rp;

    @BeforeAll
    static void start() throws Exception {
        chrome = TestBrowser.launch();
        fx = new OidcFixture(Map.of());
        rp = TinyRelyingParty.registered(fx, "chooser-browser-rp", "Tiny Notes", "openid profile", true);
    }

    @AfterAll
    static void stop() throws Exception {
        TinyRelyingParty.closeAll(rp, fx, chrome);
    }

    static String org(String name, String email) {
        String id = admin("POST", "/admin/v1/orgs", "{\"name\":\"" + name + "\"}").json().get("id").asText();
        admin("PUT", "/admin/v1/orgs/" + id + "/members/" + email, "{\"roles\":[]}");
        return id;
    }

    static Http.Response admin(String method, String path, String json) {
        Http.Response r = new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json"));
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isIn(200, 201, 204);
        return r;
    }

    static void signIn(Page page, String email) {
        page.waitForURL(fx.base + "/login?**");
        page.fill("#email", email);
        page.fill("#password", OidcFixture.PASSWORD);
        page.click("button[type=submit]");
    }

    @Test
    void aPersonInTwoOrganizationsChoosesTheSecond() {
        String email = fx.newUser();
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String alpha = org("Alpha " + tag, email);
        String beta = org("Beta " + tag, email);
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(rp.base + "/login");
            signIn(page, email);
            page.waitForURL(fx.base + "/oauth2/organization?**");
            assertThat(page.title()).contains("Choose an organization");
            assertThat(page.locator("#client-name").textContent()).isEqualTo("Tiny Notes");
            assertThat(page.locator("button.org").allTextContents()).hasSize(2);
            assertThat(page.locator("button.org").first().getAttribute("value")).isEqualTo(alpha);
            page.click("button.org[data-slug=beta-" + tag + "]");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
            assertThat(page.locator("#org").textContent()).isEqualTo(beta);
        }
    }

    @Test
    void aPersonInOneOrganizationIsNotAsked() {
        String email = fx.newUser();
        String only = org("Only " + UUID.randomUUID().toString().substring(0, 6), email);
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(rp.base + "/login");
            signIn(page, email);
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#org").textContent()).isEqualTo(only);
        }
    }
}
