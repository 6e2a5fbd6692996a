package dev.latchkey.server.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.latchkey.testkit.VirtualAuthenticator;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.Acr;
import dev.latchkey.core.authn.Amr;
import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.TestBrowser;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A passkey as the second step after a password, in real Chromium with the CDP WebAuthn virtual
 * authenticator on http://localhost against a real server and PostgreSQL. The authenticator is taken
 * away before signing out (else the sign-in page's passkey autofill would sign in by itself) and a copy
 * of its credential added back on the two-step page.
 */
class PasskeySecondFactorBrowserTest {
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

    /** A browser with the WebAuthn domain enabled and at most one virtual authenticator at a time. */
    static final class Browser implements AutoCloseable {
        final BrowserContext ctx;
        final Page page;
        final CDPSession cdp;
        String authenticator;

        Browser() {
            ctx = chrome.browser.newContext();
            page = ctx.newPage();
            cdp = VirtualAuthenticator.enable(ctx, page);
        }

        Browser withAuthenticator() {
            authenticator = VirtualAuthenticator.add(cdp);
            return this;
        }

        /** Takes the authenticator away and answers the credential it held (with its private key). */
        JsonObject removeAuthenticator() {
            JsonObject args = new JsonObject();
            args.addProperty("authenticatorId", authenticator);
            JsonObject credential = cdp.send("WebAuthn.getCredentials", args).getAsJsonArray("credentials").get(0).getAsJsonObject();
            cdp.send("WebAuthn.removeVirtualAuthenticator", args);
            authenticator = null;
            return credential;
        }

        /** A new authenticator holding {@code credential}. */
        void holding(JsonObject credential) {
            withAuthenticator();
            JsonObject args = new JsonObject();
            args.addProperty("authenticatorId", authenticator);
            args.add("credential", credential);
            cdp.send("WebAuthn.addCredential", args);
        }

        @Override
        public void close() {
            ctx.close();
        }
    }

    private static String signUp(Page page) {
        String email = "pk2fa-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        page.navigate(ts.base + "/signup");
        page.fill("#email", email);
        page.fill("#password", PASSWORD);
        page.click("button[type=submit]");
        page.waitForURL(ts.base + "/account");
        return email;
    }

    private static UUID userId(Page page) {
        page.navigate(ts.base + "/account");
        return UUID.fromString(page.locator("dd code").first().textContent().strip());
    }

    private static void addPasskey(Page page) {
        page.navigate(ts.base + "/account");
        page.fill("#passkey-name", "Laptop");
        page.click("#passkey-add");
        page.locator("#notice, #passkey-error:visible").first().waitFor();
        assertThat(page.url()).endsWith("/account?done=passkey-added");
    }

    private static void signOut(Page page) {
        page.navigate(ts.base + "/account");
        page.click("#sign-out");
        page.waitForURL("**/login?signed_out=1");
    }

    /** The password, then the two-step page. */
    private static void password(Page page, String email) {
        page.navigate(ts.base + "/login?return_to=%2Faccount%3Ffrom%3Dmfa");
        page.fill("#email", email);
        page.fill("#password", PASSWORD);
        page.click("button[type=submit]");
        page.waitForSelector("#passkey-form");
    }

    private static List<Amr> amrOfThisBrowser(BrowserContext ctx) {
        String cookie = ctx.cookies().stream().filter(c -> c.name.equals("__Host-lk_session")).findFirst().orElseThrow().value;
        return Amr.parse(ts.backend().sessions().browserSession(cookie).orElseThrow().amr());
    }

    /**
     * Runs the ceremony by hand without allowCredentials, so the authenticator may answer with a passkey
     * that is not the user's (a browser would never offer it), then posts it with the page's form.
     */
    private static final String FOREIGN = """
            async () => {
              const f = document.getElementById('passkey-form');
              const res = await fetch('/login/mfa/passkey/options', { method: 'POST', credentials: 'same-origin',
                body: new URLSearchParams({ csrf: f.elements.csrf.value, challenge: f.elements.challenge.value }) });
              const json = await res.json();
              delete json.allowCredentials;
              const c = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
              document.getElementById('passkey-credential').value = JSON.stringify(c.toJSON());
              f.submit();
            }""";

    @Test
    void aPasskeyIsTheSecondStepAfterThePasswordAndAnotherUsersPasskeyIsRefused() {
        JsonObject foreign;
        try (Browser other = new Browser().withAuthenticator()) {
            signUp(other.page);
            addPasskey(other.page);
            foreign = other.removeAuthenticator();
        }
        try (Browser b = new Browser().withAuthenticator()) {
            Page page = b.page;
            String email = signUp(page);
            UUID user = userId(page);
            addPasskey(page);
            JsonObject mine = b.removeAuthenticator();
            signOut(page);

            password(page, email);
            assertThat(page.locator("#totp-form").count()).isZero();
            assertThat(page.locator("#use-passkey").isVisible()).isTrue();
            int sessions = ts.backend().sessions().list(user).size();

            // another user's passkey: the server refuses it, the page says so and offers the passkey again
            b.holding(foreign);
            page.waitForResponse(r -> r.url().endsWith("/login/mfa") && r.request().method().equals("POST"),
                    () -> page.evaluate(FOREIGN));
            page.waitForSelector("#passkey-form");
            assertThat(page.textContent("#error")).contains("could not be verified");
            assertThat(ts.backend().sessions().list(user)).hasSize(sessions);
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_FAILED, 10)).anySatisfy(
                    e -> assertThat(e.detail()).contains("not one of the user's credentials"));
            b.removeAuthenticator();

            // another browser cannot use this browser's challenge: no options for it, and the form is refused
            String challenge = page.locator("#passkey-form input[name=challenge]").getAttribute("value");
            try (BrowserContext other = chrome.browser.newContext()) {
                Page thief = other.newPage();
                thief.navigate(ts.base + "/login");
                thief.evaluate("([challenge]) => { const f = document.querySelector('form[action=\"/login\"]');"
                        + " f.action = '/login/mfa';"
                        + " for (const [k, v] of [['challenge', challenge], ['factor', 'passkey'], ['credential', '{\"id\":\"x\"}']]) {"
                        + "   const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }"
                        + " f.noValidate = true; f.submit(); }", List.of(challenge));
                thief.waitForURL(ts.base + "/login/mfa");
                assertThat(thief.textContent("[role=alert]")).contains("another browser");
            }
            assertThat(ts.backend().sessions().list(user)).hasSize(sessions);

            // the user's own passkey finishes the sign-in and follows the return path
            b.holding(mine);
            page.click("#use-passkey");
            page.waitForURL(ts.base + "/account?from=mfa");
            assertThat(amrOfThisBrowser(b.ctx)).contains(Amr.PWD, Amr.USER, Amr.MFA).containsAnyOf(Amr.HWK, Amr.SWK);
            assertThat(Acr.of(amrOfThisBrowser(b.ctx)).wireName()).isEqualTo("urn:latchkey:acr:mfa");
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_USED, 10)).anySatisfy(
                    e -> assertThat(e.detail()).contains("second factor"));
        }
    }

    @Test
    void aUserWithAnAppAndAPasskeyMayUseEither() {
        try (Browser b = new Browser().withAuthenticator()) {
            Page page = b.page;
            String email = signUp(page);
            page.navigate(ts.base + "/account/mfa");
            page.click("#setup-totp");
            TotpCodes app = new TotpCodes(page.textContent("#totp-secret"));
            page.fill("#code", app.next());
            page.click("#confirm-totp");
            page.click("#continue");
            page.waitForURL("**/account/mfa?done=totp-on");
            addPasskey(page);
            JsonObject mine = b.removeAuthenticator();

            signOut(page);
            password(page, email);
            assertThat(page.locator("#totp-form").isVisible()).isTrue();
            assertThat(page.locator("#use-passkey").isVisible()).isTrue();
            page.fill("#code", app.next());
            page.click("#verify");
            page.waitForURL(ts.base + "/account?from=mfa");
            assertThat(amrOfThisBrowser(b.ctx)).containsExactly(Amr.PWD, Amr.OTP, Amr.MFA);

            signOut(page);
            password(page, email);
            b.holding(mine);
            page.click("#use-passkey");
            page.waitForURL(ts.base + "/account?from=mfa");
            assertThat(amrOfThisBrowser(b.ctx)).contains(Amr.PWD, Amr.MFA).containsAnyOf(Amr.HWK, Amr.SWK).doesNotContain(Amr.OTP);
        }
    }

    /** The first-party API from the page: password, 401 mfa_required, passkey options for the challenge, the assertion. */
    private static final String API = """
            async ([email, password, allowForeign]) => {
              const post = async (path, body) => {
                const r = await fetch(path, { method: 'POST', credentials: 'same-origin',
                  headers: { 'Content-Type': 'application/json', 'X-CSRF': '1' }, body: JSON.stringify(body) });
                return { status: r.status, body: await r.json() };
              };
              const login = await post('/api/auth/login', { email, password });
              const options = await post('/api/auth/mfa/passkey/options', { challenge: login.body.challenge });
              const json = Object.assign({}, options.body);
              if (allowForeign) { delete json.allowCredentials; }
              const c = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
              const done = await post('/api/auth/mfa', { challenge: login.body.challenge, factor: 'passkey', credential: c.toJSON() });
              return { login: login.status, factors: login.body.factors.join(' '), options: options.status,
                allow: (options.body.allowCredentials || []).length, done: done.status, code: done.body.code || '',
                token: done.body.access_token || '', next: done.body.challenge || '' };
            }""";

    @Test
    void theFirstPartyApiOffersThePasskeyAndCompletesWithIt() {
        JsonObject foreign;
        try (Browser other = new Browser().withAuthenticator()) {
            signUp(other.page);
            addPasskey(other.page);
            foreign = other.removeAuthenticator();
        }
        try (Browser b = new Browser().withAuthenticator()) {
            Page page = b.page;
            String email = signUp(page);
            UUID user = userId(page);
            addPasskey(page);
            JsonObject mine = b.removeAuthenticator();
            page.navigate(ts.base + "/account/mfa");   // a page of ours without the passkey script

            b.holding(foreign);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> refused = (java.util.Map<String, Object>) page.evaluate(API, List.of(email, PASSWORD, true));
            assertThat(refused).containsEntry("login", 401).containsEntry("factors", "passkey").containsEntry("options", 200)
                    .containsEntry("allow", 1).containsEntry("done", 400).containsEntry("code", "passkey_invalid").containsEntry("token", "");
            assertThat((String) refused.get("next")).hasSize(43);
            b.removeAuthenticator();

            b.holding(mine);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> ok = (java.util.Map<String, Object>) page.evaluate(API, List.of(email, PASSWORD, false));
            assertThat(ok).containsEntry("done", 200).containsEntry("code", "");
            assertThat((String) ok.get("token")).isNotBlank();
            assertThat(ts.backend().sessions().list(user)).extracting(dev.latchkey.core.session.Session::amr)
                    .anySatisfy(amr -> assertThat(Amr.parse(amr)).contains(Amr.PWD, Amr.MFA).containsAnyOf(Amr.HWK, Amr.SWK));
        }
    }
}
