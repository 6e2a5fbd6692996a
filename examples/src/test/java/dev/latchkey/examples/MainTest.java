package dev.latchkey.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Main} as a user runs it: a separate JVM configured by environment variables, stopped with SIGTERM. */
class MainTest {
    static final Duration WITHIN = Duration.ofSeconds(60);

    /** The process's output goes to a file: a pipe could fill up, and destroy() closes it. */
    static Process launch(Map<String, String> env, java.nio.file.Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_DEMO_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(output.toFile());
        return pb.start();
    }

    @Test
    void runsFromEnvironmentVariablesAndStopsOnSigterm() throws Exception {
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            int port = TestLatchkey.freePort();
            java.nio.file.Path log = java.nio.file.Files.createTempFile("demo-main", ".log");
            Process p = launch(Map.of("LATCHKEY_DEMO_DATABASE_URL", db.jdbcUrl(), "LATCHKEY_DEMO_HTTP_PORT", Integer.toString(port)), log);
            try {
                Http http = new Http("http://127.0.0.1:" + port);
                long deadline = System.nanoTime() + WITHIN.toNanos();
                Http.Response landing = null;
                while (landing == null) {
                    assertThat(p.isAlive()).as("demo process alive").isTrue();
                    assertThat(System.nanoTime()).as("listening within " + WITHIN).isLessThan(deadline);
                    try {
                        landing = http.get("/");
                    } catch (java.io.UncheckedIOException notYet) {
                        Thread.sleep(100);
                    }
                }
                assertThat(landing.status()).isEqualTo(200);
                assertThat(landing.body()).contains("Sign in");
                assertThat(http.get("/api/notes").status()).isEqualTo(401);
            } finally {
                p.destroy();   // SIGTERM: the shutdown hook closes the app
                assertThat(p.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
            }
            String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
            java.nio.file.Files.delete(log);
            assertThat(output).contains("demo app listening on 127.0.0.1:" + port).doesNotContain(" DEBUG ");
        }
    }

    @Test
    void aBadConfigurationExitsWithEveryProblem() throws Exception {
        java.nio.file.Path log = java.nio.file.Files.createTempFile("demo-main", ".log");
        Process p = launch(Map.of("LATCHKEY_DEMO_HTTP_PORT", "eighty"), log);
        assertThat(p.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        String output = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
        java.nio.file.Files.delete(log);
        assertThat(output).contains("LATCHKEY_DEMO_HTTP_PORT").contains("database URL");
    }
}
