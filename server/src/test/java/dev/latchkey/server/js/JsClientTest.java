package dev.latchkey.server.js;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.TestServer;
import dev.latchkey.testkit.NodeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the browser client's own test suite ({@code clients/js}, Node's test runner): the TypeScript
 * build, its unit tests against imitation servers, and {@code latchkey-server.test.ts}, which drives
 * the token-in-memory client against the real server started here. Node's report is printed when it fails.
 */
class JsClientTest {
    private static final Path PROJECT = Path.of("..", "clients", "js");

    @Test
    void clientTestSuitePassesAgainstARealServer() {
        NodeProject node = NodeProject.prepare(PROJECT);
        // a generous refresh grace window: the late-refresh case must finish inside it on a loaded machine
        try (TestServer ts = TestServer.start(Map.of("LATCHKEY_TOKENS_REFRESH_GRACE", "60s"))) {
            NodeProject.Run run = node.npm(Map.of("LATCHKEY_TEST_SERVER", ts.base), Duration.ofMinutes(4), "test");
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).as(run.output())
                    .contains("token-in-memory client against a real Latchkey server")
                    .contains("ℹ fail 0", "ℹ skipped 0");
        }
    }
}
