package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.store.sql.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin and user commands on the data folder's embedded PostgreSQL, without a running dev (in this JVM;
 * {@link SecondTerminalTest} runs them as separate processes beside a real dev).
 */
class EmbeddedFolderCommandTest {
    static final Map<String, String> CHEAP = Map.of("LATCHKEY_DATABASE_POOL_SIZE", "2");

    record Run(int code, String out, String err) {
    }

    static Run run(Map<String, String> env, StringWriter err, String... args) {
        StringWriter out = new StringWriter();
        var cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aCommandWaitsWhileAnotherProcessHasTheFolderThenUsesIt(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve(".latchkey");
        Map<String, String> env = new java.util.HashMap<>(CHEAP);
        env.put("LATCHKEY_DATA_DIR", dataDir.toString());
        StringWriter err = new StringWriter();
        CompletableFuture<Run> command;
        try (EmbeddedPostgres holder = EmbeddedPostgres.start(DevInstance.postgresFolder(dataDir), 0)) {
            assertThat(holder.port()).isPositive();
            command = CompletableFuture.supplyAsync(() -> run(env, err, "admin", "keys", "list"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!err.toString().contains("waiting for")) {
                assertThat(command).as(err.toString()).isNotDone();
                assertThat(System.nanoTime() - deadline).isNegative();
                Thread.sleep(50);
            }
            assertThat(command).isNotDone();
        }
        Run r = command.get(120, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).endsWith("0 keys\n");
        assertThat(r.err().lines().toList()).hasSize(1).first().asString()
                .startsWith("latchkey: waiting for " + dataDir.toAbsolutePath() + ": another latchkey process is using its embedded database");
    }

    @Test
    void aFolderThatDoesNotExistIsSaidSoBeforeANewDatabaseIsMade(@TempDir Path dir) {
        Path dataDir = dir.resolve("elsewhere").resolve(".latchkey");
        Map<String, String> env = new java.util.HashMap<>(CHEAP);
        env.put("LATCHKEY_DATA_DIR", dataDir.toString());
        Run first = run(env, new StringWriter(), "admin", "keys", "list");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.err()).startsWith("latchkey: " + dataDir.toAbsolutePath() + " does not exist yet: starting a new embedded database");
        Run second = run(env, new StringWriter(), "admin", "keys", "list");
        assertThat(second.err()).isEmpty();
        assertThat(second.out()).endsWith("0 keys\n");
    }
}
