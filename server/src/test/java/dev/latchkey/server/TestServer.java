package dev.latchkey.server;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.server.config.ConfigLoader;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real Latchkey server for HTTP-level tests: its own fresh PostgreSQL database, a random port,
 * cheap Argon2 parameters (tests that are about hashing set their own). Close it to drop the database.
 */
public final class TestServer implements AutoCloseable {
    public final TestPostgres.Database db;
    public final LatchkeyServer server;
    public final String base;
    public final MasterKey masterKey;

    private TestServer(TestPostgres.Database db, LatchkeyServer server, String base, MasterKey masterKey) {
        this.db = db;
        this.server = server;
        this.base = base;
        this.masterKey = masterKey;
    }

    public static TestServer start() {
        return start(Map.of());
    }

    /** @param env extra LATCHKEY_* settings */
    public static TestServer start(Map<String, String> env) {
        TestPostgres.Database db = TestPostgres.createDatabase();
        return startOn(db, MasterKey.generate(), env);
    }

    /** Another node on the same database and master key as {@code other}, behind the same public URL (issuer). */
    public static TestServer secondNode(TestServer other, Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("LATCHKEY_PUBLIC_URL", other.base);
        return startOn(other.db, other.masterKey, e, false);
    }

    static TestServer startOn(TestPostgres.Database db, MasterKey key, Map<String, String> env) {
        return startOn(db, key, env, true);
    }

    private static TestServer startOn(TestPostgres.Database db, MasterKey key, Map<String, String> env, boolean ownsDb) {
        int port = env.containsKey("LATCHKEY_HTTP_PORT") ? Integer.parseInt(env.get("LATCHKEY_HTTP_PORT")) : freePort();
        Map<String, String> e = new HashMap<>();
        e.put("LATCHKEY_DATABASE_URL", db.jdbcUrl());
        e.put("LATCHKEY_MASTER_KEY", key.toBase64());
        e.put("LATCHKEY_HTTP_HOST", "127.0.0.1");
        e.put("LATCHKEY_HTTP_PORT", Integer.toString(port));
        e.put("LATCHKEY_PASSWORDS_ARGON2_MEMORY_KIB", "256");
        e.put("LATCHKEY_PASSWORDS_ARGON2_ITERATIONS", "1");
        e.put("LATCHKEY_DATABASE_POOL_SIZE", "20");
        e.putAll(env);
        e.putIfAbsent("LATCHKEY_PUBLIC_URL", "http://localhost:" + port);
        LatchkeyConfig cfg = ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, e, Optional.empty(), Map.of());
        try {
            LatchkeyServer s = LatchkeyServer.start(cfg);
            return new TestServer(ownsDb ? db : null, s, "http://localhost:" + port, key);   // this node's own address
        } catch (RuntimeException ex) {
            if (ownsDb) {
                db.close();
            }
            throw ex;
        }
    }

    public Backend backend() {
        return server.backend();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        if (db != null) {
            db.close();
        }
    }
}
