package dev.latchkey.testkit;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium from the system (Debian's {@code chromium}) driven by Playwright; Playwright
 * never downloads a browser. Without Chromium the test fails when {@code CI=true} and is skipped,
 * loudly, elsewhere.
 */
public final class TestBrowser implements AutoCloseable {
    public static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage");

    public final Playwright playwright;
    public final Browser browser;

    private TestBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static TestBrowser launch() {
        Path chromium = Path.of(System.getenv().getOrDefault("LATCHKEY_TEST_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            String msg = "Chromium not found at " + chromium + " (apt-get install -y chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + " (CI=true: browser tests must run)");
            }
            System.err.println("*** SKIPPING browser test: " + msg + " ***");
            Assumptions.abort(msg);
        }
        Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser b = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true).setArgs(ARGS));
        return new TestBrowser(pw, b);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
