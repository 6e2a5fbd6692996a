package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.config.ConfigLoader;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.testkit.TestBrowser;
import dev.latchkey.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's mail path in {@code latchkey dev} (dev mode, no SMTP): sign up through the demo, find the
 * verification mail in the dev mailbox (/dev/mail) and on the console, click it; then sign in with a mailed
 * code read from the dev mailbox.
 */
class DevMailboxBrowserTest {
    @Test
    void signUpVerifyAndSignInByCodeThroughTheDevMailbox() throws Exception {
        String demoDb = "lk_demo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String email = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, console), true, StandardCharsets.UTF_8));
        int port = freePort();
        TestPostgres.Database db = TestPostgres.createDatabase();
        LatchkeyConfig cfg = ConfigLoader.load(LatchkeyConfig.Mode.DEV, Map.of(
                "LATCHKEY_DATABASE_URL", db.jdbcUrl(), "LATCHKEY_MASTER_KEY", MasterKey.generate().toBase64(),
                "LATCHKEY_HTTP_PORT", Integer.toString(port), "LATCHKEY_PUBLIC_URL", "http://localhost:" + port,
                "LATCHKEY_PASSWORDS_ARGON2_MEMORY_KIB", "256", "LATCHKEY_PASSWORDS_ARGON2_ITERATIONS", "1"),
                Optional.empty(), Map.of("http.host", "127.0.0.1", "log.format", "text", "log.level", "warn"));
        String base = "http://localhost:" + port;
        int gatewayPort = freePort();
        try (LatchkeyServer server = LatchkeyServer.start(cfg); TestBrowser tb = TestBrowser.launch();
             DevStack stack = DevStack.start(server, gatewayPort, freePort(), demoDb, "text", "warn")) {
            String gw = "http://localhost:" + gatewayPort;
            try (BrowserContext ctx = tb.browser.newContext()) {
                Page page = ctx.newPage();
                page.navigate(gw + "/dashboard");
                assertThat(page.url()).startsWith(base + "/login");
                page.click("text=Create one");
                page.fill("#name", "Nina Newcomer");
                page.fill("#email", email);
                page.fill("#password", "a long and unusual passphrase");
                page.click("button[type=submit]");
                page.waitForURL(gw + "/dashboard");

                page.navigate(base + "/dev/mail");
                Locator mail = page.locator("section.mail[data-to=\"" + email + "\"]");
                assertThat(mail.locator(".subject").textContent()).contains("Confirm your e-mail address");
                String link = mail.locator("a.link").first().getAttribute("href");
                assertThat(link).startsWith(base + "/verify-email?token=");
                assertThat(console.toString(StandardCharsets.UTF_8)).contains("dev mailbox").contains(link);
                mail.locator("a.link").first().click();
                page.waitForURL(base + "/account**");
                assertThat(page.locator("#email-state").textContent()).isEqualTo("confirmed");
            }

            try (BrowserContext ctx = tb.browser.newContext()) {
                Page page = ctx.newPage();
                page.navigate(gw + "/dashboard");
                page.click("#magic-link");
                page.fill("#email", email);
                page.click("button[type=submit]");
                page.locator("#sent-to").waitFor();
                Page box = ctx.newPage();
                String code = null;
                for (int i = 0; i < 100 && code == null; i++) {
                    box.navigate(base + "/dev/mail");
                    Locator m = box.locator("section.mail[data-to=\"" + email + "\"]", new Page.LocatorOptions().setHasText("sign-in link"));
                    if (m.count() > 0) {
                        code = m.first().locator(".code").textContent();
                    } else {
                        Thread.sleep(100);
                    }
                }
                assertThat(code).matches("[0-9]{6}");
                page.fill("#code", code);
                page.click("button[type=submit]");
                page.waitForURL(gw + "/dashboard");
                assertThat(page.content()).contains("Nina Newcomer");
            }
        } finally {
            System.setOut(original);
            dropDatabase(db, demoDb);
            db.close();
        }
    }

    /** Writes to both streams (the console stays visible in the test log). */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }

    private static void dropDatabase(TestPostgres.Database db, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(db.adminJdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
