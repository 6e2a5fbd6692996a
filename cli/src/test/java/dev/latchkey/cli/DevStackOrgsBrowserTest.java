package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.latchkey.core.org.Organization;
import dev.latchkey.examples.notes.NoteInput;
import dev.latchkey.examples.notes.Visibility;
import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.TestBrowser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Organizations in the demo of {@code latchkey dev}, in Chromium, against the real server, gateway and demo app wired by
 * {@link DevStack}: dev made its two demo organizations (with role {@code writer} = {@code notes:write}); a user in both
 * chooses one on the server's chooser at sign-in, the dashboard shows that organization and its notes, the switcher
 * (a form POST to the gateway's {@code /auth/org}) moves the session to the other: its notes are shown, the first
 * one's are not — under the pages' CSP, with no console errors or failed requests.
 */
class DevStackOrgsBrowserTest {

    @Test
    void aUserInBothDemoOrganizationsChoosesOneAtSignInAndSwitchesOnTheDashboard() throws Exception {
        String demoDb = "lk_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (OidcFixture fx = new OidcFixture(Map.of()); TestBrowser tb = TestBrowser.launch()) {
            String email = fx.newUser();                                     // named "Olga"
            String bobEmail = fx.newUser();
            int gatewayPort = freePort();
            try (DevStack stack = DevStack.start(fx.ts.server, gatewayPort, freePort(), demoDb, "text", "warn")) {
                List<Organization> orgs = stack.organizations();
                assertThat(orgs).extracting(Organization::slug).containsExactly(DemoOrganizations.ACME, DemoOrganizations.GLOBEX);
                assertThat(DemoOrganizations.ensure(fx.ts.server.backend())).as("idempotent: the same two at the next start")
                        .extracting(Organization::id).containsExactly(orgs.get(0).id(), orgs.get(1).id());
                assertThat(fx.ts.server.backend().roles().find(orgs.get(0).id(), DemoOrganizations.WRITER).orElseThrow().permissions())
                        .containsExactly("notes:write");
                assertThat(DevCommand.organizations(fx.base, stack)).as("the banner")
                        .contains("Acme (demo)", orgs.get(0).id().toString(), "Globex (demo)", orgs.get(1).id().toString())
                        .contains("curl -X PUT " + fx.base + "/admin/v1/orgs/<org id>/members/you@example.com \\\n")
                        .contains("-d '{\"roles\":[\"writer\"]}'");
                Organization acme = orgs.get(0);
                Organization globex = orgs.get(1);
                join(fx, acme, email);
                join(fx, globex, email);
                join(fx, globex, bobEmail);
                // a note Bob wrote in Globex (as the notes API would store it for his token there)
                String bob = fx.ts.server.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(bobEmail)).orElseThrow().id().toString();
                stack.demo().notes().create(new DatabaseIdentity(bob, Optional.of(globex.id().toString()), Set.of("writer"),
                        "{\"sub\":\"" + bob + "\",\"org\":\"" + globex.id() + "\",\"permissions\":[\"notes:write\"]}"),
                        new NoteInput("Globex budget", "from Bob", Optional.of(Visibility.ORG)));

                String gw = "http://localhost:" + gatewayPort;
                List<String> problems = new ArrayList<>();
                BrowserContext ctx = tb.browser.newContext();
                Page page = ctx.newPage();
                // the demo's pages only (the server's sign-in pages are other tests' concern: e.g. their favicon is a 404)
                java.util.concurrent.atomic.AtomicBoolean onDemo = new java.util.concurrent.atomic.AtomicBoolean();
                page.onConsoleMessage(m -> {
                    if (onDemo.get()) {
                        problems.add(m.type() + ": " + m.text() + " (" + m.location() + ")");
                    }
                });
                page.onResponse(r -> {
                    if (r.status() >= 400 && r.url().startsWith(gw)) {
                        problems.add("response " + r.status() + " " + r.url());
                    }
                });

                page.navigate(gw + "/dashboard");
                page.waitForURL(fx.base + "/login?**");
                page.fill("#email", email);
                page.fill("#password", OidcFixture.PASSWORD);
                page.click("button[type=submit]");
                // two memberships: the server's chooser, listing both demo organizations
                page.waitForURL(fx.base + "/oauth2/organization?**");
                assertThat(page.locator("button.org").allTextContents()).hasSize(2);
                page.click("button.org[data-slug=" + DemoOrganizations.ACME + "]");
                page.waitForURL(gw + "/dashboard");
                onDemo.set(true);

                shows(page, "Acme (demo)", List.of());
                assertThat(page.locator("#org-select option").allTextContents()).containsExactly("Globex (demo) (demo-globex)");
                write(page, "Acme roadmap", "org");
                write(page, "Olga's own", "private");
                shows(page, "Acme (demo)", List.of("Olga's own", "Acme roadmap"));
                assertThat(page.locator("#notes li.note-org").allTextContents()).singleElement().asString().contains("Acme roadmap");

                switchTo(page, globex);
                shows(page, "Globex (demo)", List.of("Olga's own", "Globex budget"));
                assertThat(page.content()).doesNotContain("Acme roadmap");
                assertThat(page.locator("#org-select option").allTextContents()).containsExactly("Acme (demo) (demo-acme)");

                switchTo(page, acme);
                shows(page, "Acme (demo)", List.of("Olga's own", "Acme roadmap"));
                assertThat(page.content()).doesNotContain("Globex budget");
                ctx.close();
                assertThat(problems).noneMatch(m -> m.contains("Content Security Policy") || m.startsWith("error") || m.startsWith("response"));
            } finally {
                dropDatabase(fx, demoDb);
            }
        }
    }

    /** Through the dashboard's form, a plain POST to the gateway's /auth/org, answered 303 back to the dashboard. */
    private static void switchTo(Page page, Organization org) {
        page.selectOption("#org-select", org.id().toString());
        page.waitForNavigation(() -> page.click("#org-switch-submit"));
    }

    private static void write(Page page, String title, String visibility) {
        page.fill("#note-title", title);
        page.selectOption("#note-visibility", visibility);
        page.click("#note-create");
        page.locator("#notes li h3", new Page.LocatorOptions().setHasText(title)).waitFor();
    }

    /** The dashboard names the organization and lists exactly these notes (newest first). */
    private static void shows(Page page, String org, List<String> titles) {
        assertThat(page.locator("#org-name").count()).as("the dashboard names an organization: " + page.content()).isOne();
        page.waitForFunction("([org, titles]) => document.getElementById('org-name').textContent === org"
                + " && [...document.querySelectorAll('#notes li h3')].map((h) => h.textContent).join('|') === titles.join('|')"
                + " && (titles.length > 0 || document.getElementById('status').textContent === 'No notes yet.')",
                List.of(org, titles));
    }

    private static void join(OidcFixture fx, Organization org, String email) {
        Http.Response r = new Http(fx.base).send(HttpRequest.newBuilder(URI.create(fx.base + "/admin/v1/orgs/" + org.id() + "/members/" + email))
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":[\"" + DemoOrganizations.WRITER + "\"]}")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static void dropDatabase(OidcFixture fx, String name) throws Exception {
        String url = fx.ts.db.adminJdbcUrl();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
