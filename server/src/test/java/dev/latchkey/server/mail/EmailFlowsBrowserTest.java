package dev.latchkey.server.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.TestBrowser;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a person does with the mailed links, in Chromium, against a real server and SMTP server. */
class EmailFlowsBrowserTest {
    static TestBrowser chrome;
    static Mailbox smtp;
    static TestServer required;
    static TestServer optional;

    @BeforeAll
    static void start() {
        chrome = TestBrowser.launch();
        smtp = Mailbox.open();
        Map<String, String> env = new HashMap<>(smtp.env());
        env.put("LATCHKEY_EMAIL_VERIFICATION", "required");
        required = TestServer.start(env);
        optional = TestServer.start(smtp.env());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {required, optional, smtp, chrome}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    static String email() {
        return "browser-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    @Test
    void signUpThenTheMailedLinkVerifiesAndSignsIn() {
        String email = email();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(required.base + "/signup");
            page.fill("#name", "Grace Hopper");
            page.fill("#email", email);
            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            assertThat(page.locator("h1").textContent()).isEqualTo("Confirm your e-mail address");
            page.navigate(required.base + "/account");
            assertThat(page.url()).startsWith(required.base + "/login");
            // the password alone does not get in before the address is verified
            page.fill("#email", email);
            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            assertThat(page.locator("h1").textContent()).isEqualTo("Confirm your e-mail address");

            Mailbox.Received mail = smtp.await(email, "Confirm your e-mail address");
            page.navigate(mail.link("/verify-email?token="));
            page.waitForURL(required.base + "/account");
            assertThat(page.locator("#user-email").textContent()).isEqualTo(email);
            assertThat(page.locator("#email-state").textContent()).isEqualTo("confirmed");
        }
    }

    @Test
    void forgotPasswordThenResetEndsTheOtherBrowsersSession() {
        String email = email();
        try (BrowserContext laptop = chrome.browser.newContext(); BrowserContext phone = chrome.browser.newContext()) {
            Page signedIn = laptop.newPage();
            signedIn.navigate(optional.base + "/signup");
            signedIn.fill("#email", email);
            signedIn.fill("#password", "the old passphrase here");
            signedIn.click("button[type=submit]");
            signedIn.waitForURL(optional.base + "/account");

            Page page = phone.newPage();
            page.navigate(optional.base + "/login");
            page.click("#forgot");
            page.fill("#email", email);
            page.click("button[type=submit]");
            assertThat(page.locator("[role=status]").textContent()).contains("If an account has the address " + email);

            Mailbox.Received mail = smtp.await(email, "Reset your");
            page.navigate(mail.link("/reset-password?token="));
            page.fill("#password", "short");
            page.evaluate("document.querySelector('#password').removeAttribute('minlength')");
            page.click("button[type=submit]");
            assertThat(page.locator("[role=alert]").textContent()).isNotBlank();
            page.fill("#password", "a completely new passphrase");
            page.click("button[type=submit]");
            page.waitForURL(optional.base + "/login?notice=password-reset");

            signedIn.navigate(optional.base + "/account");
            assertThat(signedIn.url()).as("the other browser's session ended").startsWith(optional.base + "/login");

            page.fill("#email", email);
            page.fill("#password", "a completely new passphrase");
            page.click("button[type=submit]");
            page.waitForURL(optional.base + "/account");

            // the link is single use
            page.navigate(mail.link("/reset-password?token="));
            assertThat(page.locator("h1").textContent()).isEqualTo("This link cannot be used");
        }
    }

    @Test
    void theAccountPageEditsTheNameListsSessionsAndChangesTheAddress() {
        String email = email();
        String newEmail = email();
        try (BrowserContext laptop = chrome.browser.newContext(); BrowserContext phone = chrome.browser.newContext()) {
            Page other = phone.newPage();
            other.navigate(optional.base + "/signup");
            other.fill("#email", email);
            other.fill("#password", "the account passphrase");
            other.click("button[type=submit]");
            other.waitForURL(optional.base + "/account");

            Page page = laptop.newPage();
            page.navigate(optional.base + "/login");
            page.fill("#email", email);
            page.fill("#password", "the account passphrase");
            page.click("button[type=submit]");
            page.waitForURL(optional.base + "/account");
            assertThat(page.locator("#sessions li.session").count()).isEqualTo(2);

            page.fill("#name", "Ada Lovelace");
            page.click("#save-name");
            page.waitForURL(optional.base + "/account?done=name");
            assertThat(page.locator("#notice").textContent()).contains("name was saved");
            assertThat(page.locator("#user-name").textContent()).isEqualTo("Ada Lovelace");

            page.click("#revoke-others");
            page.waitForURL(optional.base + "/account?done=others-signed-out");
            assertThat(page.locator("#sessions li.session").count()).isEqualTo(1);
            other.navigate(optional.base + "/account");
            assertThat(other.url()).startsWith(optional.base + "/login");

            page.fill("#new_email", newEmail);
            page.fill("#email_current_password", "the account passphrase");
            page.click("#change-email");
            page.waitForURL(optional.base + "/account?done=email-sent");
            assertThat(page.locator("#notice").textContent()).contains("confirmation link");
            Mailbox.Received confirm = smtp.await(newEmail, "Confirm your new e-mail address");
            page.navigate(confirm.link("/account/email/confirm?token="));
            page.click("#confirm");
            page.waitForURL(optional.base + "/login?notice=email-changed");
            smtp.await(email, "was changed");
            page.fill("#email", newEmail);
            page.fill("#password", "the account passphrase");
            page.click("button[type=submit]");
            page.waitForURL(optional.base + "/account");
            assertThat(page.locator("#user-email").textContent()).isEqualTo(newEmail);
            assertThat(page.locator("#email-state").textContent()).isEqualTo("confirmed");
        }
    }
}
