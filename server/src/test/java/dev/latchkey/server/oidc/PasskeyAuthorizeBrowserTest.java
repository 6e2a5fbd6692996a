package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.latchkey.testkit.VirtualAuthenticator;
import dev.latchkey.testkit.TestBrowser;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A passwordless passkey sign-in inside an OIDC authorization flow a relying party started: the
 * authorization continues to the client, whose validated ID token says how the user signed in ({@code amr}).
 */
class PasskeyAuthorizeBrowserTest {
    static TestBrowser chrome;
    static OidcFixture fx;
    static TinyRelyingParty rp;

    @BeforeAll
    static void start() throws Exception {
        chrome = TestBrowser.launch();
        fx = new OidcFixture(Map.of());
        rp = TinyRelyingParty.registered(fx, "passkey-rp", "Passkey Notes", "openid profile email", true);
    }

    @AfterAll
    static void stop() throws Exception {
        TinyRelyingParty.closeAll(rp, fx, chrome);
    }

    @Test
    void aPasskeySignInContinuesTheAuthorizationAndTheIdTokenCarriesItsAmr() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            CDPSession cdp = VirtualAuthenticator.enable(ctx, page);
            VirtualAuthenticator.add(cdp);

            page.navigate(fx.base + "/login");
            page.fill("#email", email);
            page.fill("#password", OidcFixture.PASSWORD);
            page.click("button[type=submit]");
            page.waitForURL(fx.base + "/account");
            page.click("#passkey-add");
            page.waitForURL("**/account?done=passkey-added");
            ctx.clearCookies();

            // the relying party sends the browser to /oauth2/authorize, which sends it to /login; the e-mail field's
            // passkey autofill (conditional UI) signs in, and the authorization continues to the client
            page.navigate(rp.base + "/login");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
            assertThat(page.locator("#amr").textContent()).isEqualTo("hwk user mfa");
            // (the ID token's acr is still IdTokens' fixed value; deriving it from amr, Acr.of, is the multi-factor work's)
        }
    }

    @Test
    void aPasswordThenThePasskeyOnTheTwoStepPageContinuesTheAuthorizationWithMfa() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            CDPSession cdp = VirtualAuthenticator.enable(ctx, page);
            JsonObject id = new JsonObject();
            id.addProperty("authenticatorId", VirtualAuthenticator.add(cdp));

            page.navigate(fx.base + "/login");
            page.fill("#email", email);
            page.fill("#password", OidcFixture.PASSWORD);
            page.click("button[type=submit]");
            page.waitForURL(fx.base + "/account");
            page.click("#passkey-add");
            page.waitForURL("**/account?done=passkey-added");
            // the authenticator goes away (else the sign-in page's autofill signs in without the password) and comes back later
            JsonObject credential = cdp.send("WebAuthn.getCredentials", id).getAsJsonArray("credentials").get(0).getAsJsonObject();
            cdp.send("WebAuthn.removeVirtualAuthenticator", id);
            ctx.clearCookies();

            page.navigate(rp.base + "/login");
            page.waitForURL(fx.base + "/login?**");
            page.fill("#email", email);
            page.fill("#password", OidcFixture.PASSWORD);
            page.click("button[type=submit]");
            page.waitForSelector("#use-passkey");
            JsonObject again = new JsonObject();
            again.addProperty("authenticatorId", VirtualAuthenticator.add(cdp));
            again.add("credential", credential);
            cdp.send("WebAuthn.addCredential", again);
            page.click("#use-passkey");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#amr").textContent()).isEqualTo("pwd hwk user mfa");
            assertThat(page.locator("#acr").textContent()).isEqualTo("urn:latchkey:acr:mfa");
        }
    }
}
