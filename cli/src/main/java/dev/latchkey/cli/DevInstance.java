package dev.latchkey.cli;

import dev.latchkey.store.sql.EmbeddedPostgres;
import dev.latchkey.store.sql.PostgresUrl;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * A running {@code latchkey dev} as the other commands find it: while it runs, dev keeps a small file in its
 * data folder ({@value #FILE}) naming its process and the port of its embedded PostgreSQL, and the admin and
 * user commands connect to that PostgreSQL instead of starting a second one on the same folder.
 *
 * <p>A file is believed only while it is true: the process it names is alive and started at the instant the
 * file says (so a process id reused after a crash does not count), and the PostgreSQL on its port answers as
 * the one serving this very folder. A file left by a killed dev therefore fails the check and is ignored;
 * the next dev overwrites it. Dev writes it after its server is up and removes it first thing at shutdown.
 *
 * @param pid          the dev process
 * @param started      when that process started (as the operating system reports it)
 * @param postgresPort the embedded PostgreSQL's port on 127.0.0.1
 */
record DevInstance(long pid, Instant started, int postgresPort) {
    static final String FILE = "dev-instance.properties";

    /** The embedded PostgreSQL's database, as the server uses it. */
    PostgresUrl database() {
        return new PostgresUrl("jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres?user=postgres", null, null);
    }

    /** Announces this process as the dev of {@code dataDir} (atomically replacing a file a killed dev left). */
    static void publish(Path dataDir, int postgresPort) {
        ProcessHandle self = ProcessHandle.current();
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(self.pid()));
        p.setProperty("started", self.info().startInstant().map(Instant::toString).orElse(""));
        p.setProperty("postgres_port", Integer.toString(postgresPort));
        Path tmp = dataDir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dataDir);
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "latchkey dev is running on this folder; other latchkey commands use its embedded PostgreSQL");
            }
            Files.move(tmp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file if it names this process. */
    static void withdraw(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (read(file).filter(d -> d.pid() == ProcessHandle.current().pid()).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next dev replaces it, and nobody believes a file naming a stopped process
            }
        }
    }

    /** The dev running on {@code dataDir}, if one is and its PostgreSQL answers. */
    static Optional<DevInstance> find(Path dataDir) {
        return read(dataDir.resolve(FILE)).filter(DevInstance::alive)
                .filter(d -> EmbeddedPostgres.serves(postgresFolder(dataDir), d.postgresPort()));
    }

    /** Where {@code Backend.open} keeps the embedded PostgreSQL's data within the data folder. */
    static Path postgresFolder(Path dataDir) {
        return dataDir.resolve("postgres");
    }

    private boolean alive() {
        // where the system does not report start instants, a live process id has to do (the port check still follows)
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().startInstant().map(s -> s.equals(started)).orElse(started == null))
                .orElse(false);
    }

    static Optional<DevInstance> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
            String started = p.getProperty("started", "");
            return Optional.of(new DevInstance(Long.parseLong(p.getProperty("pid", "").strip()),
                    started.isBlank() ? null : Instant.parse(started.strip()), Integer.parseInt(p.getProperty("postgres_port", "").strip())));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
