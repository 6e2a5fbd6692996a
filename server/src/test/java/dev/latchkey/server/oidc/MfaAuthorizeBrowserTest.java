package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.core.credential.totp.Base32;
import dev.latchkey.core.credential.totp.Totp;
import dev.latchkey.testkit.TestBrowser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A relying party (Nimbus OIDC SDK, validating the ID token) asks {@code acr_values=urn:latchkey:acr:mfa}:
 * a user with only a password enrols an authenticator app in the flow, and the ID token says
 * {@code acr urn:latchkey:acr:mfa}, {@code amr pwd otp mfa}; a later sign-in with the app does the same.
 */
class MfaAuthorizeBrowserTest {
    static final String MFA = "urn:latchkey:acr:mfa";
    static TestBrowser chrome;
    static OidcFixture fx;
    static TinyRelyingParty rp;

    @BeforeAll
    static void start() throws Exception {
        chrome = TestBrowser.launch();
        fx = new OidcFixture(Map.of());
        rp = TinyRelyingParty.registered(fx, "mfa-rp", "Vault", "openid profile", true);
    }

    @AfterAll
    static void stop() throws Exception {
        TinyRelyingParty.closeAll(rp, fx, chrome);
    }

    private static void password(Page page, String email) {
        page.waitForURL(fx.base + "/login?**");
        page.fill("#email", email);
        page.fill("#password", OidcFixture.PASSWORD);
        page.click("button[type=submit]");
    }

    @Test
    void acrValuesForMfaGetASecondFactorAndTheIdTokenSaysSo() {
        String email = fx.newUser();
        String secret;
        long enrolledStep;
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            // without acr_values: one factor
            page.navigate(rp.base + "/login");
            password(page, email);
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.textContent("#acr")).isEqualTo("urn:latchkey:acr:1fa");
            assertThat(page.textContent("#amr")).isEqualTo("pwd");

            // the same session, now asked for MFA: the user has no factor, so enrols one in the flow
            page.navigate(rp.base + "/login?acr_values=" + URLEncoder.encode(MFA + " urn:example:unknown", StandardCharsets.UTF_8));
            page.waitForSelector("#totp-secret");
            secret = page.textContent("#totp-secret");
            enrolledStep = Totp.DEFAULT.step(Instant.now());
            page.fill("#code", Totp.DEFAULT.code(Base32.decode(secret), enrolledStep));
            page.click("#confirm-totp");
            assertThat(page.locator("#recovery-codes code").count()).isEqualTo(10);
            page.click("#continue");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.textContent("#acr")).isEqualTo(MFA);
            assertThat(page.textContent("#amr")).isEqualTo("pwd otp mfa");
        }
        try (BrowserContext ctx = chrome.browser.newContext()) {
            // a fresh browser: password, then the app's code
            Page page = ctx.newPage();
            page.navigate(rp.base + "/login?acr_values=" + URLEncoder.encode(MFA, StandardCharsets.UTF_8));
            password(page, email);
            page.waitForSelector("#totp-form");
            // a step after the enrolment's (the server accepts each step once)
            long step = Math.max(Totp.DEFAULT.step(Instant.now()), enrolledStep + 1);
            page.fill("#code", Totp.DEFAULT.code(Base32.decode(secret), step));
            page.click("#verify");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.textContent("#acr")).isEqualTo(MFA);
            assertThat(page.textContent("#amr")).isEqualTo("pwd otp mfa");
        }
    }

    @Test
    void promptNoneWithAcrValuesForMfaOnAOneFactorSessionIsInteractionRequired() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(rp.base + "/login");
            password(page, email);
            page.waitForURL(rp.redirectUri + "?**");
            page.navigate(rp.base + "/login?prompt=none&acr_values=" + URLEncoder.encode(MFA, StandardCharsets.UTF_8));
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.textContent("#error")).isEqualTo("interaction_required");
        }
    }
}
