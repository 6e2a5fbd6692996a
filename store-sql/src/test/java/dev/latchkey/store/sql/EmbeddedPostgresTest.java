package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process at a time runs the embedded PostgreSQL of a folder; a folder another process runs is refused
 * at once (callers wait or connect to it), and what a killed process left running does not block the folder.
 */
class EmbeddedPostgresTest {
    static final long WITHIN_SECONDS = 120;

    /** The embedded PostgreSQL in another JVM; {@link #close()} ends it normally, {@link #kill()} with SIGKILL. */
    static final class Child implements AutoCloseable {
        final Process process;
        final int port;

        Child(Path folder, Path log) throws IOException, InterruptedException {
            String java = ProcessHandle.current().info().command().orElse("java");
            Path portFile = log.resolveSibling(log.getFileName() + ".port");
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    EmbeddedPostgresChild.class.getName(), folder.toString(), portFile.toString()));
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            process = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WITHIN_SECONDS);
            while (!Files.exists(portFile)) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the child did not start its PostgreSQL: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
            port = Integer.parseInt(Files.readString(portFile).strip());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(WITHIN_SECONDS, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (process.isAlive()) {
                process.getOutputStream().close();
                if (!process.waitFor(WITHIN_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    @Test
    void aFolderRunsOnePostgresInThisJvm(@TempDir Path dir) {
        Path folder = dir.resolve("postgres");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(folder, 0)) {
            assertThat(EmbeddedPostgres.serves(folder, pg.port())).isTrue();
            assertThatThrownBy(() -> EmbeddedPostgres.start(folder, 0)).isInstanceOf(EmbeddedPostgres.FolderInUseException.class);
            assertThat(EmbeddedPostgres.serves(folder, pg.port())).as("the refused start changed nothing").isTrue();
        }
        try (EmbeddedPostgres again = EmbeddedPostgres.start(folder, 0)) {
            assertThat(EmbeddedPostgres.serves(folder, again.port())).isTrue();
        }
    }

    @Test
    void aFolderAnotherProcessRunsIsRefusedUntilItStops(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("postgres");
        try (Child other = new Child(folder, dir.resolve("child.log"))) {
            assertThat(EmbeddedPostgres.serves(folder, other.port)).isTrue();
            assertThat(EmbeddedPostgres.serves(dir.resolve("elsewhere"), other.port)).isFalse();
            assertThatThrownBy(() -> EmbeddedPostgres.start(folder, 0)).isInstanceOf(EmbeddedPostgres.FolderInUseException.class)
                    .hasMessageContaining("in use by another process");
            assertThat(EmbeddedPostgres.serves(folder, other.port)).as("the other process's PostgreSQL is untouched").isTrue();
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(folder, 0)) {
            assertThat(EmbeddedPostgres.serves(folder, pg.port())).isTrue();
        }
    }

    @Test
    void thePostgresOfAKilledProcessIsStoppedAndTheFolderStartsWithItsData(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("postgres");
        long orphan;
        try (Child killed = new Child(folder, dir.resolve("child.log"))) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + killed.port + "/postgres?user=postgres");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
            }
            orphan = EmbeddedPostgres.Postmaster.read(folder).orElseThrow().pid();
            killed.kill();
        }
        ProcessHandle left = ProcessHandle.of(orphan).orElseThrow();
        try {
            assertThat(left.isAlive()).as("SIGKILL of its owner leaves the postmaster running").isTrue();
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(folder, 0);
                 Connection c = DriverManager.getConnection(pg.url().jdbcUrl());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT x FROM kept")) {
                assertThat(left.isAlive()).isFalse();
                assertThat(pg.pid()).isNotEqualTo(orphan);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        } finally {
            if (left.isAlive()) {
                left.destroy();
            }
        }
    }

    @Test
    void aStalePostmasterPidNamingAnotherProgramDoesNotBlockTheStart(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("postgres");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(folder, 0)) {
            assertThat(pg.port()).isPositive();
        }
        // as after a reboot: the file survived and its process id now belongs to another program (this JVM)
        Files.writeString(folder.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + folder.toAbsolutePath()
                + "\n1700000000\n5432\n/tmp\n127.0.0.1\n  1234 5678\nready   \n");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(folder, 0)) {
            assertThat(EmbeddedPostgres.serves(folder, pg.port())).isTrue();
        }
    }
}
