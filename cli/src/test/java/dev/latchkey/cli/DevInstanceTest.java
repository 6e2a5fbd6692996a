package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.store.sql.EmbeddedPostgres;
import dev.latchkey.testkit.TestPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the other commands find a running {@code latchkey dev}: its file is believed only while the process it
 * names is alive (the same process, not a reused id) and the PostgreSQL on its port serves this folder.
 */
class DevInstanceTest {

    @Test
    void aRunningDevIsFoundAndItsFileGoesWhenItStops(@TempDir Path dataDir) {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(DevInstance.postgresFolder(dataDir), 0)) {
            assertThat(DevInstance.find(dataDir)).isEmpty();
            DevInstance.publish(dataDir, pg.port());
            assertThat(DevInstance.find(dataDir)).hasValueSatisfying(d -> {
                assertThat(d.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(d.database().jdbcUrl()).isEqualTo(pg.url().jdbcUrl());
            });
            DevInstance.withdraw(dataDir);
            assertThat(dataDir.resolve(DevInstance.FILE)).doesNotExist();
            assertThat(DevInstance.find(dataDir)).isEmpty();
        }
    }

    @Test
    void aFileLeftByAKilledDevIsIgnored(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(DevInstance.postgresFolder(dataDir), 0)) {
            // a process that has ended: its id names nothing (or, reused, another process that started later)
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version").start();
            Instant started = p.toHandle().info().startInstant().orElse(Instant.EPOCH);
            p.waitFor();
            write(dataDir, p.pid(), started, pg.port());
            assertThat(DevInstance.read(dataDir.resolve(DevInstance.FILE))).isPresent();
            assertThat(DevInstance.find(dataDir)).isEmpty();

            // a live process id that started at another instant: a reused id, not the dev that wrote the file
            write(dataDir, ProcessHandle.current().pid(), Instant.parse("2001-01-01T00:00:00Z"), pg.port());
            assertThat(DevInstance.find(dataDir)).isEmpty();

            // the file names this process correctly: found (the control for the two cases above)
            write(dataDir, ProcessHandle.current().pid(), ProcessHandle.current().info().startInstant().orElseThrow(), pg.port());
            assertThat(DevInstance.find(dataDir)).isPresent();

            // withdraw() leaves a file that names another process alone
            write(dataDir, p.pid(), started, pg.port());
            DevInstance.withdraw(dataDir);
            assertThat(dataDir.resolve(DevInstance.FILE)).exists();
        }
    }

    @Test
    void aPortThatIsNotThisFoldersPostgresIsIgnored(@TempDir Path dataDir) throws Exception {
        Instant self = ProcessHandle.current().info().startInstant().orElseThrow();
        // another PostgreSQL (the tests' own) answers on its port, but it serves another folder
        URI other = URI.create(TestPostgres.adminUrl().substring("jdbc:".length()));
        write(dataDir, ProcessHandle.current().pid(), self, other.getPort() > 0 ? other.getPort() : 5432);
        assertThat(DevInstance.find(dataDir)).isEmpty();
        // nothing listens on the port any more
        write(dataDir, ProcessHandle.current().pid(), self, 1);
        assertThat(DevInstance.find(dataDir)).isEmpty();
        // garbage
        Files.writeString(dataDir.resolve(DevInstance.FILE), "pid=x\n");
        assertThat(DevInstance.read(dataDir.resolve(DevInstance.FILE))).isEmpty();
    }

    private static void write(Path dataDir, long pid, Instant started, int port) throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve(DevInstance.FILE), "pid=" + pid + "\nstarted=" + started.toString().replace(":", "\\:")
                + "\npostgres_port=" + port + "\n");
    }
}
