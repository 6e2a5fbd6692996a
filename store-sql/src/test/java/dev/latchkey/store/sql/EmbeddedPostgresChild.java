package dev.latchkey.store.sql;

import java.nio.file.Path;

/**
 * Another process running the embedded PostgreSQL on a folder, for {@link EmbeddedPostgresTest}: starts it,
 * writes its port into a file (stdout is for logs), and stops it when its standard input ends (or is killed before).
 */
public final class EmbeddedPostgresChild {
    private EmbeddedPostgresChild() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(Path.of(args[0]), 0)) {
            Path tmp = Path.of(args[1] + ".tmp");
            java.nio.file.Files.writeString(tmp, Integer.toString(pg.port()));
            java.nio.file.Files.move(tmp, Path.of(args[1]), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
