package dev.latchkey.interop.spring;

import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.server.TestServer;
import java.util.Map;

/** A real Latchkey server ({@code TestServer}: a fresh database, a random port) with an admin key, as the Spring tests' issuer. */
final class Latchkey implements AutoCloseable {
    static final String ADMIN_KEY = "lka_interop-admin-key-0123456789abcdefghijkl";

    final TestServer ts;
    final LatchkeyServer server;
    final String issuer;

    private Latchkey(TestServer ts) {
        this.ts = ts;
        this.server = ts.server;
        this.issuer = ts.base;
    }

    static Latchkey start() {
        return new Latchkey(TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY)));
    }

    @Override
    public void close() {
        ts.close();
    }
}
