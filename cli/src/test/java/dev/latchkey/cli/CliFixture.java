package dev.latchkey.cli;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.server.Backend;
import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.config.ConfigLoader;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A fresh PostgreSQL database and master key, the {@code latchkey} command pointed at them through
 * {@code LATCHKEY_DATABASE_URL} / {@code LATCHKEY_MASTER_KEY}, and, when a test needs one, a real
 * server on the same database (as an operator would run it next to the command).
 */
final class CliFixture implements AutoCloseable {
    final TestPostgres.Database db = TestPostgres.createDatabase();
    final Map<String, String> env = new HashMap<>();
    private Backend backend;
    private LatchkeyServer server;

    CliFixture() {
        env.put("LATCHKEY_DATABASE_URL", db.jdbcUrl());
        env.put("LATCHKEY_MASTER_KEY", MasterKey.generate().toBase64());
        // cheap hashing; what a test checks is the algorithm and the re-hash, not the cost
        env.put("LATCHKEY_PASSWORDS_ARGON2_MEMORY_KIB", "256");
        env.put("LATCHKEY_PASSWORDS_ARGON2_ITERATIONS", "1");
        env.put("LATCHKEY_DATABASE_POOL_SIZE", "4");
    }

    /** What one run of the command printed, and its exit code. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine(env);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The services on the same database, to check what a command did. */
    Backend backend() {
        if (backend == null) {
            backend = Backend.open(ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, env, Optional.empty(), Map.of()), Clock.systemUTC());
        }
        return backend;
    }

    /** A server on the same database and master key; returns its base URL. */
    String startServer() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> e = new HashMap<>(env);
        e.put("LATCHKEY_HTTP_HOST", "127.0.0.1");
        e.put("LATCHKEY_HTTP_PORT", Integer.toString(port));
        e.put("LATCHKEY_PUBLIC_URL", "http://localhost:" + port);
        server = LatchkeyServer.start(ConfigLoader.load(LatchkeyConfig.Mode.PRODUCTION, e, Optional.empty(), Map.of()));
        return "http://localhost:" + port;
    }

    /** The server {@link #startServer} started. */
    LatchkeyServer server() {
        return server;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
        db.close();
    }
}
