package dev.latchkey.store.sql;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL that {@code latchkey dev} starts by itself: the same engine as production, its data
 * kept in a folder so that a restart keeps users, sessions and keys.
 *
 * <p>One process at a time runs it on a folder: the process holds a lock on {@code <folder>.lock} from
 * before initdb until it has stopped PostgreSQL (the operating system releases it when the process ends,
 * however it ends). {@link #start} refuses a folder another process holds with {@link FolderInUseException},
 * and it stops a postmaster that a killed process left running on the folder before starting its own.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String LOCK_FILE = "epg-lock";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(60);
    /** Folders this JVM runs a PostgreSQL on: probing their lock file again would release the lock (POSIX record locks). */
    private static final Set<Path> RUNNING_HERE = ConcurrentHashMap.newKeySet();

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Path key;
    private final FileLock folder;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread stopAtExit;

    /**
     * How long the JVM's shutdown waits for the owner (a server draining its requests, a command finishing) to close
     * this database before it is stopped anyway: the owner's own shutdown needs the database until its last write.
     */
    private static final Duration OWNER_GRACE = Duration.ofSeconds(25);

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres, Path dataDir, Path key, FileLock folder) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.key = key;
        this.folder = folder;
        // instead of the library's hook, which stops PostgreSQL at once, concurrently with the server's own graceful stop
        // (so the draining server's last writes failed): stop it only if the owner has not closed it in time
        this.stopAtExit = new Thread(() -> {
            try {
                if (!closed.await(OWNER_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    close();
                }
            } catch (InterruptedException e) {
                close();
            }
        }, "embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /** Another process runs the embedded PostgreSQL on this folder. */
    public static final class FolderInUseException extends IllegalStateException {
        private final transient Path folder;

        FolderInUseException(Path folder) {
            super("the embedded PostgreSQL in " + folder + " is in use by another process");
            this.folder = folder;
        }

        public Path folder() {
            return folder;
        }
    }

    /**
     * Starts (initialising the folder on first use) on {@code port}; 0 picks a free port.
     *
     * @throws FolderInUseException when another process runs the embedded PostgreSQL on this folder
     */
    public static EmbeddedPostgres start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the folder of the embedded PostgreSQL " + dataDir + ": " + e.getMessage(), e);
        }
        Path key = canonical(dataDir);
        if (!RUNNING_HERE.add(key)) {
            throw new FolderInUseException(dataDir);
        }
        FileLock folder = null;
        try {
            folder = claim(dataDir);
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("synchronous_commit", "on")
                    .setRegisterShutdownHook(false);
            if (port > 0) {
                builder.setPort(port);
            }
            var pg = builder.start();
            LOG.info("embedded PostgreSQL started on port {} with data in {}", pg.getPort(), dataDir);
            return new EmbeddedPostgres(pg, dataDir, key, folder);
        } catch (IOException | RuntimeException e) {
            if (folder != null) {
                release(folder);
            }
            RUNNING_HERE.remove(key);
            if (e instanceof FolderInUseException busy) {
                throw busy;
            }
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a PostgreSQL on 127.0.0.1:{@code port} answers and serves {@code dataDir} (its
     * {@code data_directory} is that folder), as the superuser the embedded PostgreSQL trusts.
     */
    public static boolean serves(Path dataDir, int port) {
        if (port <= 0 || port > 65535) {
            return false;
        }
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        p.setProperty("ApplicationName", "latchkey-probe");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
            return rs.next() && Files.isSameFile(Path.of(rs.getString(1)), dataDir);
        } catch (SQLException | IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Takes the folder: its lock ({@code <folder>.lock}, next to the folder because initdb wants an empty one), held
     * until {@link #close()}, so that initdb, the start and the run are one process's; refuses a folder whose lock, or
     * the embedded-postgres library's own {@code epg-lock} inside it, another process holds; then stops what a killed
     * owner left running.
     */
    private static FileLock claim(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(ch);
            if (lock == null || heldElsewhere(dataDir.resolve(LOCK_FILE))) {
                throw new FolderInUseException(dataDir);
            }
            stopLeftover(dataDir);
            return lock;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.channel().close();
        } catch (IOException e) {
            LOG.warn("cannot release the lock of the embedded PostgreSQL: {}", e.getMessage());
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** Whether another process holds the lock on {@code file} (probing it is safe: this JVM holds no lock on it). */
    private static boolean heldElsewhere(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE); FileLock l = tryLock(ch)) {
            return l == null;
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    /**
     * A process killed with the embedded PostgreSQL running (SIGKILL, a crash) leaves the postmaster
     * running with nobody holding the lock, and PostgreSQL refuses to start on the folder again while its
     * {@code postmaster.pid} names a live process. Called with the folder's lock held, so no process of ours
     * owns what {@code postmaster.pid} names: a process that answers as the PostgreSQL of this very folder is
     * stopped (SIGTERM, PostgreSQL's smart shutdown); a live process that is no PostgreSQL at all (its id was
     * reused, e.g. after a reboot or a container restart) makes the file stale, and it is removed. Anything
     * else is left for PostgreSQL to judge.
     */
    private static void stopLeftover(Path dataDir) throws IOException {
        Optional<Postmaster> found = Postmaster.read(dataDir);
        if (found.isEmpty()) {
            return;
        }
        Postmaster pm = found.get();
        Optional<ProcessHandle> process = ProcessHandle.of(pm.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return;   // PostgreSQL itself ignores a postmaster.pid naming no process
        }
        if (serves(dataDir, pm.port())) {
            LOG.warn("stopping the embedded PostgreSQL (pid {}) on {}: the process that ran it ended without stopping it", pm.pid(), dataDir);
            process.get().destroy();
            try {
                process.get().onExit().get(LEFTOVER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("the PostgreSQL left running on " + dataDir + " (pid " + pm.pid()
                        + ") did not stop; stop it (kill " + pm.pid() + ") and try again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the PostgreSQL left running on " + dataDir);
            }
            return;
        }
        Optional<String> command = process.get().info().command();
        if (command.isPresent() && !Path.of(command.get()).getFileName().toString().startsWith("postgres")) {
            LOG.info("removing {}: it names process {}, which is no PostgreSQL", dataDir.resolve("postmaster.pid"), pm.pid());
            Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
        }
    }

    /** What PostgreSQL writes into {@code postmaster.pid}: its process id (line 1) and port (line 4). */
    record Postmaster(long pid, int port) {
        static Optional<Postmaster> read(Path dataDir) {
            try {
                List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
                if (lines.size() < 4) {
                    return Optional.empty();
                }
                return Optional.of(new Postmaster(Long.parseLong(lines.get(0).strip()), Integer.parseInt(lines.get(3).strip())));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    private static Path canonical(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }

    public PostgresUrl url() {
        return new PostgresUrl("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres", null, null);
    }

    public int port() {
        return postgres.getPort();
    }

    /** The postmaster's process id (for benchmarks that count its CPU), or -1. */
    public long pid() {
        return Postmaster.read(dataDir).map(Postmaster::pid).orElse(-1L);
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            release(folder);
            RUNNING_HERE.remove(key);
            closed.countDown();
            if (Thread.currentThread() != stopAtExit) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopAtExit);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is stopping: the hook finds the latch released and ends
                }
            }
        }
    }
}
