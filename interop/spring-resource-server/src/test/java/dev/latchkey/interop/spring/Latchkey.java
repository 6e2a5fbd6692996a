package dev.latchkey.interop.spring;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.config.ConfigLoader;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;

/** A real Latchkey server on a random port with a fresh database of its own, as the Spring tests' issuer. */
final class Latchkey implements AutoCloseable {
    static final String ADMIN_KEY = "lka_interop-admin-key-0123456789abcdefghijkl";

    final TestPostgres.Database db;
    final LatchkeyServer server;
    final String issuer;

    private Latchkey(TestPostgres.Database db, LatchkeyServer server, String issuer) {
        this.db = db;
        this.server = server;
        this.issuer = issuer;
    }

    static Latchkey start() {
        TestPostgres.Database db = TestPostgres.createDatabase();
        int port = freePort();
        String issuer = "http://localhost:" + port;
        Map<String, String> env = Map.of(
                "LATCHKEY_DATABASE_URL", db.jdbcUrl(),
                "LATCHKEY_MASTER_KEY", MasterKey.generate().toBase64(),
                "LATCHKEY_HTTP_HOST", "127.0.0.1",
                "LATCHKEY_HTTP_PORT", Integer.toString(port),
                "LATCHKEY_PUBLIC_URL", issuer,
                "LATCHKEY_ADMIN_API_KEY", ADMIN_KEY,
                "LATCHKEY_PASSWORDS_ARGON2_MEMORY_KIB", "256",
                "LATCHKEY_PASSWORDS_ARGON2_ITERATIONS", "1");
        try {
            LatchkeyConfig cfg = ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, env, Optional.empty(), Map.of());
            return new Latchkey(db, LatchkeyServer.start(cfg), issuer);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
