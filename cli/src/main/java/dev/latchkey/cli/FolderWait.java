package dev.latchkey.cli;

import dev.latchkey.store.sql.EmbeddedPostgres;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waiting while another process runs the embedded PostgreSQL of a data folder: a command that started
 * it for itself (it stops it within seconds) or a {@code latchkey dev} that is starting (it announces
 * itself through {@link DevInstance} once its server is up). Says so once on stderr; gives up with one
 * clear line after {@link #LIMIT}.
 */
final class FolderWait {
    static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Duration PAUSE = Duration.ofMillis(250);

    private final Path dataDir;
    private final PrintWriter err;
    private final long deadline;
    private boolean told;

    FolderWait(Path dataDir, PrintWriter err) {
        this.dataDir = dataDir;
        this.err = err;
        this.deadline = System.nanoTime() + LIMIT.toNanos();
    }

    /** After {@code busy}: waits a moment, or throws when the limit is reached. */
    void pause(EmbeddedPostgres.FolderInUseException busy) {
        if (System.nanoTime() - deadline > 0) {
            throw new CliException("the embedded database in " + dataDir.toAbsolutePath() + " stayed in use by another process for "
                    + LIMIT.toSeconds() + " s; if no latchkey dev or other latchkey command is running on that folder, stop the process "
                    + "that has " + dataDir.resolve("postgres.lock") + " open (fuser shows it) and try again", busy);
        }
        if (!told) {
            err.println("latchkey: waiting for " + dataDir.toAbsolutePath() + ": another latchkey process is using its embedded database "
                    + "(a command that started it, or latchkey dev starting up)");
            err.flush();
            told = true;
        }
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + dataDir.toAbsolutePath());
        }
    }
}
