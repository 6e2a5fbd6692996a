package dev.latchkey.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.testkit.TestBrowser;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person signing in to a third-party web application in real Chromium: the application (a
 * {@link TinyRelyingParty} on another site) sends them to Latchkey, they sign in on the hosted
 * page, see which permissions the application asks for, allow or deny, and come back.
 */
class ThirdPartyConsentBrowserTest {
    static TestBrowser chrome;
    static OidcFixture fx;
    static TinyRelyingParty rp;

    @BeforeAll
    static void start() throws Exception {
        chrome = TestBrowser.launch();
        fx = new OidcFixture(Map.of());
        rp = TinyRelyingParty.registered(fx, "tiny-rp", "Tiny Notes", "openid profile email", false);
    }

    @AfterAll
    static void stop() throws Exception {
        TinyRelyingParty.closeAll(rp, fx, chrome);
    }

    /** Every URL the page navigated to, in order. */
    static List<String> navigations(Page page) {
        List<String> urls = new CopyOnWriteArrayList<>();
        page.onRequest(r -> {
            if (r.isNavigationRequest()) {
                urls.add(r.url());
            }
        });
        return urls;
    }

    static void signIn(Page page, String email) {
        page.waitForURL(fx.base + "/login?**");
        page.fill("#email", email);
        page.fill("#password", OidcFixture.PASSWORD);
        page.click("button[type=submit]");
    }

    @Test
    void consentOnceThenSignedInWithoutAskingAgainUntilPromptConsent() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            List<String> seen = navigations(page);
            page.navigate(rp.base + "/login");
            assertThat(seen).anyMatch(u -> u.startsWith(fx.base + "/oauth2/authorize?") && u.contains("client_id=tiny-rp"));
            signIn(page, email);

            page.waitForURL(fx.base + "/oauth2/consent?**");
            assertThat(page.locator("#client-name").textContent()).isEqualTo("Tiny Notes");
            assertThat(page.locator("ul.scopes li").allTextContents())
                    .containsExactly("Know who you are (your user id)", "See your name");
            assertThat(page.locator("main, body").first().textContent()).contains("127.0.0.1");   // where the answer goes
            page.click("#allow");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
            String subject = page.locator("#subject").textContent();

            // the same scopes again: straight back, signed in, neither sign-in nor consent
            seen.clear();
            page.navigate(rp.base + "/login");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
            assertThat(seen).noneMatch(u -> u.startsWith(fx.base + "/oauth2/consent") || u.startsWith(fx.base + "/login"));

            // prompt=consent asks again
            page.navigate(rp.base + "/login?prompt=consent");
            page.waitForURL(fx.base + "/oauth2/consent?**");
            page.click("#allow");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#subject").textContent()).isEqualTo(subject);

            // more scopes than were granted: asked again, for all of them
            page.navigate(rp.base + "/login?scope=openid%20profile%20email");
            page.waitForURL(fx.base + "/oauth2/consent?**");
            assertThat(page.locator("ul.scopes li").allTextContents()).contains("See your e-mail address");
            page.click("#allow");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
        }
    }

    @Test
    void denyingSendsAccessDeniedToTheApplication() {
        String email = fx.newUser();
        try (BrowserContext ctx = chrome.browser.newContext()) {
            Page page = ctx.newPage();
            page.navigate(rp.base + "/login");
            signIn(page, email);
            page.waitForURL(fx.base + "/oauth2/consent?**");
            page.click("#deny");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.url()).contains("error=access_denied");
            assertThat(page.locator("#error").textContent()).isEqualTo("access_denied");    // state and iss checked by the RP

            // a denial is not remembered: the next attempt asks again, and Allow signs in
            page.navigate(rp.base + "/login");
            page.waitForURL(fx.base + "/oauth2/consent?**");
            page.click("#allow");
            page.waitForURL(rp.redirectUri + "?**");
            assertThat(page.locator("#greeting").textContent()).isEqualTo("Hello Olga");
        }
    }
}
