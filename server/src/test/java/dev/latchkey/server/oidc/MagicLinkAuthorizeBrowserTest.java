package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionKind;
import dev.latchkey.server.mail.Mailbox;
import dev.latchkey.testkit.TestBrowser;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Passwordless sign-in by mailed link and by code, inside an OIDC authorization flow a relying party started. */
class MagicLinkAuthorizeBrowserTest {
    static TestBrowser chrome;
    static Mailbox smtp;
    static OidcFixture fx;
    static TinyRelyingParty rp;

    @BeforeAll
    static void start() throws Exception {
        chrome = TestBrowser.launch();
        smtp = Mailbox.open();
        fx = new OidcFixture(smtp.env());
        rp = TinyRelyingParty.registered(fx, "link-rp", "Link Notes", "openid profile email", true);
    }

    @AfterAll
    static void stop() throws Exception {
        TinyRelyingParty.closeAll(rp, fx, smtp, chrome);
    }

    private static void askForLink(Page page, String email) {
        page.navigate(rp.base + "/login");
        page.waitForURL(fx.base + "/login?**");
        page.click("#magic-link");
        page.waitForURL(fx.base + "/login/email?**");
        page.fill("#email", email);
        page.click("button[type=submit]");
        assertThat(page.locator("#sent-to").textContent()).isEqualTo(email);
    }

    @Test
    void theMailedLinkSignsInTheAskingBrowserAndTheRelyingPartyGetsItsCode() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            askForLink(page, email);
            Mailbox.Received mail = smtp.await(email, "sign-in link");
            page.navigate(mail.link("/login/link?token="));
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
        }
        UUID user = fx.ts.backend().users().findByEmail(EmailAddress.parse(email)).orElseThrow().id();
        List<Session> sessions = fx.ts.backend().sessions().list(user);
        assertThat(sessions).filteredOn(s -> s.kind() == SessionKind.BROWSER).extracting(Session::amr).containsExactly("mail");
    }

    @Test
    void theLinkOpenedInAnotherBrowserAsksFirstAndTheCodeSignsInTheAskingOne() {
        String email = fx.newUser();
        try (BrowserContext asking = chrome.browser.newContext(); BrowserContext phone = chrome.browser.newContext()) {
            Page page = asking.newPage();
            askForLink(page, email);
            Mailbox.Received mail = smtp.await(email, "sign-in link");

            // the mail read on another device: the link does not sign that browser in by itself
            Page other = phone.newPage();
            other.navigate(mail.link("/login/link?token="));
            assertThat(other.locator("h1").textContent()).isEqualTo("Sign in on this device?");
            assertThat(phone.cookies()).noneMatch(c -> c.name.equals("__Host-lk_session"));

            // so the person types the code on the asking browser, which continues the authorization
            page.fill("#code", mail.code());
            page.click("button[type=submit]");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");

            // the link is spent now
            other.click("#confirm");
            assertThat(other.locator("[role=alert]").textContent()).contains("already used");
        }
    }

    @Test
    void aWrongCodeIsRefusedOnThePage() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            askForLink(page, email);
            String code = smtp.await(email, "sign-in link").code();
            page.fill("#code", code.equals("000000") ? "111111" : "000000");
            page.click("button[type=submit]");
            assertThat(page.locator("[role=alert]").textContent()).contains("not correct");
            page.fill("#code", code);
            page.click("button[type=submit]");
            page.waitForURL(rp.redirectUri + "?**");
        }
    }
}
