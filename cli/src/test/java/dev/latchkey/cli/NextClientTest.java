package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.NodeProject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code @latchkey/next}'s own suite ({@code clients/next}, Node's test runner) from the Maven build, as
 * {@code JsClientTest} does for {@code @latchkey/client}: the TypeScript build, assertion verification against an
 * imitation gateway's JWKS on 127.0.0.1 (wrong key, wrong audience and issuer, expired, {@code alg: none}, HS256
 * with the public key, another {@code typ}, mistyped claims, JWKS caching and outage), the proxy helper with real
 * {@code NextRequest}s, and the React provider rendered with {@code react-dom/server}.
 */
class NextClientTest {
    @Test
    void packageTestSuitePasses() {
        NextjsExample.clientBuilt();
        NodeProject node = NodeProject.prepare(NextjsExample.CLIENT_NEXT);
        NodeProject.Run run = node.npm(NextjsExample.ENV, Duration.ofMinutes(4), "test");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).as(run.output())
                .contains("assertion verification", "refuses alg none", "refuses the wrong audience", "refuses an expired assertion",
                        "refuses an assertion signed by another key under the same kid", "latchkeyProxy", "LatchkeyProvider")
                .contains("ℹ fail 0", "ℹ skipped 0");
    }
}
