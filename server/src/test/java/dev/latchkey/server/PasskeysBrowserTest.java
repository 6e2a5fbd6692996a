package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.latchkey.testkit.VirtualAuthenticator;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.credential.passkey.PasskeyCredential;
import dev.latchkey.core.session.Session;
import dev.latchkey.testkit.TestBrowser;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Passkeys in real Chromium with the CDP WebAuthn virtual authenticator (a platform authenticator
 * with resident keys and user verification), on http://localhost against a real server and PostgreSQL.
 */
class PasskeysBrowserTest {
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

    /** A browser with its own virtual authenticator. */
    record Browser(BrowserContext ctx, Page page, CDPSession cdp, String authenticator) implements AutoCloseable {
        static Browser open() {
            Browser b = withoutAuthenticator();
            return new Browser(b.ctx, b.page, b.cdp, b.addAuthenticator());
        }

        /** A browser whose authenticator is added later (so the sign-in page's autofill request finds none). */
        static Browser withoutAuthenticator() {
            BrowserContext ctx = chrome.browser.newContext();
            Page page = ctx.newPage();
            CDPSession cdp = VirtualAuthenticator.enable(ctx, page);
            return new Browser(ctx, page, cdp, null);
        }

        String addAuthenticator() {
            return VirtualAuthenticator.add(cdp);
        }

        JsonArray credentials() {
            JsonObject args = new JsonObject();
            args.addProperty("authenticatorId", authenticator);
            return cdp.send("WebAuthn.getCredentials", args).getAsJsonArray("credentials");
        }

        /** Adds an authenticator holding a copy of {@code credential} (with its private key) whose counter is {@code signCount}. */
        Browser withCopy(JsonObject credential, long signCount) {
            String id = addAuthenticator();
            JsonObject c = credential.deepCopy();
            c.addProperty("signCount", signCount);
            JsonObject args = new JsonObject();
            args.addProperty("authenticatorId", id);
            args.add("credential", c);
            cdp.send("WebAuthn.addCredential", args);
            return new Browser(ctx, page, cdp, id);
        }

        @Override
        public void close() {
            ctx.close();
        }
    }

    private static String signUp(Page page) {
        String email = "pk-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        page.navigate(ts.base + "/signup");
        page.fill("#name", "Ada Lovelace");
        page.fill("#email", email);
        page.fill("#password", "a long and unusual passphrase");
        page.click("button[type=submit]");
        page.waitForURL(ts.base + "/account");
        return email;
    }

    private static UUID userId(Page page) {
        return UUID.fromString(page.locator("dd code").first().textContent().strip());
    }

    private static void addPasskey(Page page, String name) {
        page.fill("#passkey-name", name);
        page.click("#passkey-add");
        page.locator("#notice, #passkey-error:visible").first().waitFor();
        assertThat(page.locator("#passkey-error").isVisible()).as(() -> page.locator("#passkey-error").textContent()).isFalse();
        assertThat(page.url()).endsWith("/account?done=passkey-added");
    }

    private static void signOut(Page page) {
        page.click("#sign-out");
        page.waitForURL("**/login?signed_out=1");
    }

    /**
     * Signs out; the sign-in page's conditional UI (the e-mail field's passkey autofill) then signs in again at
     * once: Chromium's virtual authenticator answers such a request by itself with its one passkey.
     */
    private static void signOutAndBackInByAutofill(Page page) {
        page.waitForResponse(r -> r.url().endsWith("/login/passkey") && r.request().method().equals("POST"), () -> page.click("#sign-out"));
        page.waitForURL(ts.base + "/account");
    }

    private static PasskeyCredential stored(UUID user) {
        List<PasskeyCredential> all = ts.backend().signIn().passkeys().list(user);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void registerSignOutSignInWithoutAPasswordRenameAndRemove() {
        try (Browser b = Browser.open()) {
            Page page = b.page();
            String email = signUp(page);
            UUID user = userId(page);
            assertThat(page.locator("#no-passkeys").isVisible()).isTrue();
            addPasskey(page, "Test laptop");
            assertThat(page.locator("#notice").textContent()).contains("passkey was added");
            assertThat(page.locator(".passkey-name").textContent()).isEqualTo("Test laptop");
            assertThat(page.locator(".passkey-last-used").textContent()).isEqualTo("last used never");
            assertThat(page.locator(".passkey-backup").textContent()).isEqualTo("this device only");
            JsonArray creds = b.credentials();
            assertThat(creds).hasSize(1);
            assertThat(creds.get(0).getAsJsonObject().get("isResidentCredential").getAsBoolean()).isTrue();
            assertThat(creds.get(0).getAsJsonObject().get("rpId").getAsString()).isEqualTo("localhost");

            // no e-mail typed, no click: the autofill request (conditional UI) with a discoverable credential
            signOutAndBackInByAutofill(page);
            assertThat(page.locator("#user-email").textContent()).isEqualTo(email);
            assertThat(page.locator(".passkey-last-used").textContent()).doesNotContain("never");
            // the passkey with user verification is multi-factor by itself: hwk + user, and mfa
            List<Session> sessions = ts.backend().sessions().list(user);
            assertThat(sessions).extracting(Session::amr).contains("hwk user mfa");
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_USED, 10)).hasSize(1);
            assertThat(ts.backend().audit().recent(user, AuditType.LOGIN_SUCCESS, 10)).anySatisfy(e -> assertThat(e.detail()).contains("hwk"));

            page.fill("input[name=name][id^=rename-]", "Work laptop");
            page.click("text=Rename");
            page.waitForURL("**/account?done=passkey-renamed");
            assertThat(page.locator(".passkey-name").textContent()).isEqualTo("Work laptop");

            page.click(".passkey >> text=Remove");
            page.waitForURL("**/account?done=passkey-removed");
            assertThat(page.locator("#no-passkeys").isVisible()).isTrue();
            assertThat(ts.backend().signIn().passkeys().list(user)).isEmpty();
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_REGISTERED, 10)).hasSize(1);
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_REMOVED, 10)).hasSize(1);

            // the authenticator still holds the passkey the server forgot: refused; the password works without a second step
            signOut(page);
            assertThat(page.locator("#email").getAttribute("autocomplete")).isEqualTo("username webauthn");
            page.locator("#passkey-error").waitFor();
            assertThat(page.locator("#passkey-error").textContent()).contains("not registered");
            page.fill("#email", email);
            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            page.waitForURL(ts.base + "/account");
        }
    }

    @Test
    void theSignInButtonAsksForAPasskeyAndFollowsTheReturnPath() {
        JsonObject exported;
        UUID user;
        String email;
        try (Browser phone = Browser.open()) {
            email = signUp(phone.page());
            user = userId(phone.page());
            addPasskey(phone.page(), "Phone");
            exported = phone.credentials().get(0).getAsJsonObject();
        }
        try (Browser b = Browser.withoutAuthenticator()) {
            Page page = b.page();
            page.navigate(ts.base + "/login?return_to=%2Faccount%3Ffrom%3Dbutton");
            // the password alone no longer signs in a passkey holder: the two-step page asks for the passkey
            int successes = ts.backend().audit().recent(user, AuditType.LOGIN_SUCCESS, 10).size();
            page.fill("#email", email);
            page.fill("#password", "a long and unusual passphrase");
            page.click("button[type=submit]");
            page.waitForSelector("#use-passkey");
            assertThat(ts.backend().audit().recent(user, AuditType.LOGIN_SUCCESS, 10)).hasSize(successes);
            page.navigate(ts.base + "/login?return_to=%2Faccount%3Ffrom%3Dbutton");
            // the same (synced) passkey on this device, found only after the page's autofill request started
            b.withCopy(exported, stored(user).signCount() + 100);
            page.click("#passkey-sign-in");
            page.waitForURL(ts.base + "/account?from=button");
            assertThat(page.locator(".passkey-name").textContent()).isEqualTo("Phone");
        }
    }

    @Test
    void aSecondAuthenticatorCannotUseTheFirstOnesCredential() {
        UUID user;
        try (Browser first = Browser.open()) {
            signUp(first.page());
            user = userId(first.page());
            addPasskey(first.page(), "First");
        }
        try (Browser second = Browser.open()) {
            Page page = second.page();
            page.navigate(ts.base + "/login");
            page.click("#passkey-sign-in");
            page.locator("#passkey-error").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE).setTimeout(60_000));
            assertThat(page.url()).startsWith(ts.base + "/login");
            assertThat(second.credentials()).isEmpty();
            assertThat(stored(user).lastUsedAt()).isNull();
        }
    }

    @Test
    void aClonedCredentialWithALowerSignCounterIsRefused() {
        try (Browser original = Browser.open()) {
            Page page = original.page();
            signUp(page);
            UUID user = userId(page);
            addPasskey(page, "Original");
            for (int i = 0; i < 3; i++) {
                signOutAndBackInByAutofill(page);
            }
            JsonObject exported = original.credentials().get(0).getAsJsonObject();
            long count = stored(user).signCount();
            assertThat(count).isGreaterThanOrEqualTo(3);

            try (Browser clone = Browser.withoutAuthenticator()) {
                Page cp = clone.page();
                cp.navigate(ts.base + "/login");
                clone.withCopy(exported, 1);
                cp.click("#passkey-sign-in");
                cp.locator("#passkey-error").waitFor(new com.microsoft.playwright.Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
                assertThat(cp.locator("#passkey-error").textContent()).contains("counter went backwards");
                assertThat(cp.url()).startsWith(ts.base + "/login");
            }
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_CLONE_SUSPECTED, 10)).hasSize(1);
            assertThat(stored(user).signCount()).isEqualTo(count);

            // the original, whose counter keeps rising, still signs in
            signOutAndBackInByAutofill(page);
        }
    }

    /** Runs a passwordless ceremony by hand on a page without the passkey script, optionally altering the response before posting it. */
    private static final String CEREMONY = """
            async ({ options, tamper }) => {
              const csrf = document.querySelector('input[name=csrf]').value;
              const post = (path, body) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF': csrf },
                body: JSON.stringify(body || {}) });
              const opts = options || await (await post('/login/passkey/options')).json();
              const cred = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(opts) });
              const json = cred.toJSON();
              const dec = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4)), c => c.charCodeAt(0));
              const enc = b => btoa(String.fromCharCode(...b)).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
              if (tamper === 'clientData') {
                const cd = JSON.parse(new TextDecoder().decode(dec(json.response.clientDataJSON)));
                cd.origin = 'http://evil.localhost';
                json.response.clientDataJSON = enc(new TextEncoder().encode(JSON.stringify(cd)));
              } else if (tamper === 'authenticatorData') {
                const ad = dec(json.response.authenticatorData);
                ad[36] = ad[36] ^ 0x7f;   // the counter's low byte
                json.response.authenticatorData = enc(ad);
              }
              const r = await post('/login/passkey', { credential: json, returnTo: '/account' });
              return { status: r.status, body: await r.json() };
            }""";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ceremony(Page page, Object options, String tamper) {
        return (Map<String, Object>) page.evaluate(CEREMONY, Map.of("options", options == null ? false : options, "tamper", tamper));
    }

    @Test
    void tamperedResponsesAndAChallengeFromAnotherSessionAreRefusedAndChangeNothing() {
        try (Browser b = Browser.open()) {
            Page page = b.page();
            signUp(page);
            UUID user = userId(page);
            addPasskey(page, "Mine");
            int sessions = ts.backend().sessions().list(user).size();
            b.ctx().clearCookies();                 // signed out, without the sign-in page's own passkey request
            PasskeyCredential before = stored(user);
            page.navigate(ts.base + "/signup");   // a page of ours without the passkey script

            Map<String, Object> cd = ceremony(page, null, "clientData");
            assertThat(cd.get("status")).isEqualTo(400);
            assertThat(((Map<String, Object>) cd.get("body")).get("code")).isEqualTo("passkey_invalid");
            Map<String, Object> ad = ceremony(page, null, "authenticatorData");
            assertThat(ad.get("status")).isEqualTo(400);
            assertThat(((Map<String, Object>) ad.get("body")).get("code")).isEqualTo("passkey_invalid");
            assertThat(((Map<String, Object>) ad.get("body")).get("title").toString()).contains("could not be verified");

            // options (a challenge) fetched by another browser session, answered and posted here
            Object foreign;
            try (Browser other = Browser.open()) {
                other.page().navigate(ts.base + "/signup");
                foreign = other.page().evaluate("""
                        async () => {
                          const csrf = document.querySelector('input[name=csrf]').value;
                          const r = await fetch('/login/passkey/options', { method: 'POST',
                            headers: { 'Content-Type': 'application/json', 'X-CSRF': csrf }, body: '{}' });
                          return await r.json();
                        }""");
            }
            Map<String, Object> cross = ceremony(page, foreign, "none");
            assertThat(cross.get("status")).isEqualTo(400);
            assertThat(((Map<String, Object>) cross.get("body")).get("code")).isEqualTo("passkey_challenge_invalid");

            PasskeyCredential after = stored(user);
            assertThat(after.signCount()).isEqualTo(before.signCount());
            assertThat(after.lastUsedAt()).isEqualTo(before.lastUsedAt());
            assertThat(ts.backend().sessions().list(user)).hasSize(sessions);
            assertThat(ts.backend().audit().recent(user, AuditType.PASSKEY_FAILED, 10)).hasSizeGreaterThanOrEqualTo(2);

            // nothing was spent but the challenges: an honest ceremony still signs in
            Map<String, Object> ok = ceremony(page, null, "none");
            assertThat(ok.get("status")).isEqualTo(200);
            assertThat(((Map<String, Object>) ok.get("body")).get("redirect")).isEqualTo("/account");
            assertThat(ts.backend().sessions().list(user)).hasSize(sessions + 1);
        }
    }
}
