package dev.latchkey.server.org;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.mail.Mailbox;
import dev.latchkey.testkit.TestBrowser;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The mailed invitation link in real Chromium: a newcomer signs up on the way and accepts; the page is CSRF-protected. */
class InvitationPageBrowserTest {
    static final String ADMIN = "lka_invitation-page-admin-key-0123456789abcdef";
    static Mailbox smtp;
    static TestServer ts;
    static TestBrowser chrome;

    @BeforeAll
    static void start() {
        chrome = TestBrowser.launch();
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_ADMIN_API_KEY", ADMIN);
        ts = TestServer.start(env);
    }

    @AfterAll
    static void stop() {
        if (ts != null) {
            ts.close();
        }
        if (chrome != null) {
            chrome.close();
        }
        smtp.stop();
    }

    @Test
    void aNewcomerFollowsTheMailedLinkSignsUpAndAccepts() {
        Http admin = new Http(ts.base);
        String org = admin.postJson("/admin/v1/orgs", "{\"name\":\"Browser Club\"}", "Authorization", "Bearer " + ADMIN).json().get("id").asText();
        String email = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response created = admin.postJson("/admin/v1/orgs/" + org + "/invitations", "{\"email\":\"" + email + "\",\"roles\":[\"editor\"]}",
                "Authorization", "Bearer " + ADMIN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String link = smtp.await(email, "Browser Club").link("/invitations/accept");

        // a forged POST without the page's CSRF token changes nothing
        Http.Response forged = new Http(ts.base).postForm("/invitations/accept", Map.of("token", link.substring(link.indexOf("token=") + 6)));
        assertThat(forged.status()).isEqualTo(403);

        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(link);
            page.click("text=Create one");
            page.fill("#email", "someone-else-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test");
            page.fill("#password", "another long unusual passphrase");
            page.click("button[type=submit]");
            page.waitForURL("**/invitations/accept?token=**");
            assertThat(page.locator("body").textContent()).contains("for another e-mail address");
            assertThat(page.locator("#accept-invitation").count()).isZero();
        }
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(link);
            assertThat(page.url()).startsWith(ts.base + "/login");
            page.click("text=Create one");
            page.fill("#email", email);
            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            page.waitForURL("**/invitations/accept?token=**");
            assertThat(page.locator("#invitation-org").textContent()).isEqualTo("Browser Club");
            assertThat(page.locator("#invitation-email").textContent()).isEqualTo(email);
            page.click("#accept-invitation");
            assertThat(page.locator("h1").textContent()).isEqualTo("Welcome to Browser Club");

            page.navigate(link);
            assertThat(page.locator("body").textContent()).contains("already accepted");
        }
        var members = admin.get("/admin/v1/orgs/" + org + "/members", "Authorization", "Bearer " + ADMIN).json().get("members");
        assertThat(members).hasSize(1);
        assertThat(members.get(0).get("roles").get(0).asText()).isEqualTo("editor");
    }
}
