package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import dev.latchkey.testkit.TestBrowser;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-up and sign-in on the hosted pages in real Chromium, against a real server and PostgreSQL. */
class HostedPagesBrowserTest {
    static TestServer ts;
    static TestBrowser chrome;

    @BeforeAll
    static void start() {
        chrome = TestBrowser.launch();
        ts = TestServer.start();
    }

    @AfterAll
    static void stop() {
        if (ts != null) {
            ts.close();
        }
        if (chrome != null) {
            chrome.close();
        }
    }

    @Test
    void signUpThenSignOutThenSignInAgain() {
        String email = "browser-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(ts.base + "/account");
            assertThat(page.url()).startsWith(ts.base + "/login");

            page.click("text=Create one");
            page.fill("#name", "Grace Hopper");
            page.fill("#email", email);
            page.fill("#password", "password");              // on the common-password list
            page.click("button[type=submit]");
            assertThat(page.locator("[role=alert]").textContent()).containsIgnoringCase("common");

            page.fill("#email", email);
            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            page.waitForURL(ts.base + "/account");
            assertThat(page.locator("#user-email").textContent()).isEqualTo(email);
            assertThat(page.locator("#user-name").textContent()).isEqualTo("Grace Hopper");

            Cookie session = sessionCookie(ctx);
            assertThat(session.httpOnly).isTrue();
            assertThat(session.secure).isTrue();
            assertThat(session.sameSite.name()).isEqualTo("LAX");

            page.click("text=Sign out");
            page.waitForURL("**/login?signed_out=1");
            assertThat(page.locator("[role=status]").textContent()).contains("signed out");

            page.fill("#email", email);
            page.fill("#password", "a wrong passphrase");
            page.click("button[type=submit]");
            assertThat(page.locator("[role=alert]").textContent()).contains("incorrect");

            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            page.waitForURL(ts.base + "/account");
            assertThat(page.locator("#user-email").textContent()).isEqualTo(email);
            // a new session id at every sign-in (no fixation)
            assertThat(sessionCookie(ctx).value).isNotEqualTo(session.value);
        }
    }

    @Test
    void hostedPagesCannotBeFramed() {
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            var response = page.navigate(ts.base + "/login");
            assertThat(response.headers().get("content-security-policy")).contains("frame-ancestors 'none'");
            assertThat(response.headers().get("x-frame-options")).isEqualTo("DENY");
        }
    }

    static Cookie sessionCookie(BrowserContext ctx) {
        List<Cookie> cookies = ctx.cookies();
        return cookies.stream().filter(c -> c.name.equals("__Host-lk_session")).findFirst().orElseThrow();
    }
}
