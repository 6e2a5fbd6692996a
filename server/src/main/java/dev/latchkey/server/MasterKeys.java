package dev.latchkey.server;

import dev.latchkey.core.crypto.MasterKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dev mode only: the master key kept in the data folder, generated on first start (mode 600). */
final class MasterKeys {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);

    private MasterKeys() {
    }

    static MasterKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("master.key");
        try {
            if (Files.exists(file)) {
                return MasterKey.parse(Files.readString(file, StandardCharsets.US_ASCII));
            }
            Files.createDirectories(dataDir);
            MasterKey k = MasterKey.generate();
            Path tmp = dataDir.resolve("master.key.tmp");
            Files.writeString(tmp, k.toBase64() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(tmp, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("generated a development master key in {}", file);
            return k;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the master key in " + file + ": " + e.getMessage(), e);
        }
    }
}
