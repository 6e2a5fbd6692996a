package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.core.authn.Amr;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.TestBrowser;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TOTP in real Chromium: enrol on the account page reading the secret from the page, sign out, sign in
 * with a code computed here; a replayed code and a wrong one are refused; a recovery code works once;
 * another browser cannot use this one's challenge; removing the app needs a recent second factor.
 */
class MfaBrowserTest {
    static TestServer ts;
    static TestBrowser chrome;
    static final String PASSWORD = "a long and unusual passphrase";

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

    private static void signUp(Page page, String email) {
        page.navigate(ts.base + "/signup");
        page.fill("#email", email);
        page.fill("#password", PASSWORD);
        page.click("button[type=submit]");
        page.waitForURL(ts.base + "/account");
    }

    private static void signOut(Page page) {
        page.navigate(ts.base + "/account");
        page.click("#sign-out");
        page.waitForURL("**/login?signed_out=1");
    }

    private static void password(Page page, String email) {
        page.navigate(ts.base + "/login?return_to=%2Faccount");
        page.fill("#email", email);
        page.fill("#password", PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("#totp-form");
    }

    private static String amrOfThisBrowser(BrowserContext ctx) {
        String cookie = ctx.cookies().stream().filter(c -> c.name.equals("__Host-lk_session")).findFirst().orElseThrow().value;
        return ts.backend().sessions().browserSession(cookie).orElseThrow().amr();
    }

    @Test
    void enrolTotpOnTheAccountPageThenSignInWithACode() {
        String email = "totp-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        try (BrowserContext ctx = chrome.browser.newContext(); BrowserContext other = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            signUp(page, email);
            page.click("#mfa-link");
            page.waitForURL(ts.base + "/account/mfa");
            assertThat(page.textContent("#totp-state")).contains("Off");
            page.click("#setup-totp");
            assertThat(page.locator("svg#totp-qr path").count()).isEqualTo(1);
            assertThat(page.textContent("#totp-uri")).startsWith("otpauth://totp/").contains("secret=" + page.textContent("#totp-secret"));
            TotpCodes app = new TotpCodes(page.textContent("#totp-secret"));
            page.fill("#code", app.wrong());
            page.click("#confirm-totp");
            assertThat(page.textContent("#error")).contains("not correct");
            page.fill("#code", app.next());
            page.click("#confirm-totp");
            List<String> codes = page.locator("#recovery-codes code").allTextContents();
            assertThat(codes).hasSize(10);
            page.click("#continue");
            page.waitForURL("**/account/mfa?done=totp-on");
            assertThat(page.textContent("#totp-state")).contains("On");

            // sign out and in: the password alone is not enough now
            signOut(page);
            password(page, email);
            page.fill("#code", app.wrong());
            page.click("#verify");
            assertThat(page.textContent("#error")).contains("not correct");
            page.fill("#code", app.next());
            page.click("#verify");
            page.waitForURL(ts.base + "/account");
            assertThat(Amr.parse(amrOfThisBrowser(ctx))).containsExactly(Amr.PWD, Amr.OTP, Amr.MFA);

            // the same code again: refused as used
            signOut(page);
            password(page, email);
            page.fill("#code", app.last());
            page.click("#verify");
            assertThat(page.textContent("#error")).contains("already used");

            // another browser cannot continue this browser's sign-in with its challenge
            String challenge = page.locator("#totp-form input[name=challenge]").getAttribute("value");
            Page thief = other.newPage();
            thief.navigate(ts.base + "/login");
            thief.evaluate("([challenge, code]) => { const f = document.querySelector('form[action=\"/login\"]');"
                    + " f.action = '/login/mfa';"
                    + " for (const [k, v] of [['challenge', challenge], ['factor', 'totp'], ['code', code]]) {"
                    + "   const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
                    + " f.noValidate = true; f.submit(); }", List.of(challenge, app.last()));
            thief.waitForURL(ts.base + "/login/mfa");
            assertThat(thief.url()).doesNotContain("/account");
            assertThat(thief.textContent("[role=alert]")).contains("another browser");

            // the recovery code instead, once; the page says how many are left
            page.click("#recovery summary");
            page.fill("#recovery_code", codes.get(2));
            page.click("#use-recovery");
            assertThat(page.textContent("#recovery-left")).contains("9 left");
            page.click("#continue");
            page.waitForURL(ts.base + "/account");
            signOut(page);
            password(page, email);
            page.click("#recovery summary");
            page.fill("#recovery_code", codes.get(2));
            page.click("#use-recovery");
            assertThat(page.textContent("#error")).contains("not correct");
            page.fill("#code", app.next());
            page.click("#verify");
            page.waitForURL(ts.base + "/account");

            // removing the app: a sensitive action, allowed right after a second factor
            page.navigate(ts.base + "/account/mfa");
            page.click("#remove-totp");
            page.waitForURL("**/account/mfa?done=totp-off");
            assertThat(page.textContent("#totp-state")).contains("Off");
            signOut(page);
            page.navigate(ts.base + "/login?return_to=%2Faccount");
            page.fill("#email", email);
            page.fill("#password", PASSWORD);
            page.click("button[type=submit]");
            page.waitForURL(ts.base + "/account");
        }
    }
}
