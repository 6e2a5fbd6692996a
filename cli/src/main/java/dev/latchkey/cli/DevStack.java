package dev.latchkey.cli;

import dev.latchkey.core.oauth.ClientRegistration;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.examples.DemoApp;
import dev.latchkey.examples.DemoConfig;
import dev.latchkey.gateway.GatewayServer;
import dev.latchkey.gateway.config.GatewayConfigLoader;
import dev.latchkey.server.Backend;
import dev.latchkey.server.LatchkeyServer;
import dev.latchkey.store.sql.PostgresUrl;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code latchkey dev} runs beside the server: the gateway (backend-for-frontend) on its own port
 * and the demo app (pages + notes API) behind it, both on the embedded PostgreSQL. The gateway and the
 * demo's revocation feed are OAuth clients of the server, registered (or updated) here at every start
 * with a fresh secret, so nothing secret is written to disk.
 */
final class DevStack implements AutoCloseable {
    static final String GATEWAY_CLIENT = "latchkey-dev-gateway";
    static final String DEMO_FEED_CLIENT = "latchkey-dev-demo";
    static final String DEMO_DATABASE = "latchkey_demo";

    private final GatewayServer gateway;
    private final DemoApp demo;

    private DevStack(GatewayServer gateway, DemoApp demo) {
        this.gateway = gateway;
        this.demo = demo;
    }

    /** Ports: the gateway's public one (the URL people open) and the demo app's (reached only through the gateway). */
    static DevStack start(LatchkeyServer server, int gatewayPort, int demoPort, String logFormat, String logLevel) {
        return start(server, gatewayPort, demoPort, DEMO_DATABASE, logFormat, logLevel);
    }

    static DevStack start(LatchkeyServer server, int gatewayPort, int demoPort, String demoDatabase, String logFormat, String logLevel) {
        Backend b = server.backend();
        PostgresUrl pg = b.embeddedPostgres().map(e -> e.url()).orElseGet(b::databaseUrl);
        String issuer = server.config().http().issuer();
        String gatewayUrl = "http://localhost:" + gatewayPort;
        String demoUpstream = "http://127.0.0.1:" + demoPort;

        String gatewaySecret = upsert(b.clients(), new ClientRegistration(GATEWAY_CLIENT, "Latchkey dev gateway", "client_secret_basic",
                List.of(gatewayUrl + "/auth/callback"), List.of(gatewayUrl + "/"),
                List.of("authorization_code", "refresh_token", "client_credentials"),
                "openid profile email offline_access latchkey:revocations", null, true, false, null, null));
        // the demo's client follows the revocation feed and, with latchkey:fga, shares notes through relations (docs/relations.md)
        String feedSecret = upsert(b.clients(), new ClientRegistration(DEMO_FEED_CLIENT, "Latchkey dev demo (revocation feed, relations)",
                "client_secret_basic", null, null, List.of("client_credentials"), "latchkey:revocations latchkey:fga", null, true, false, null, null));

        String demoJdbc = ensureDatabase(pg, demoDatabase);
        DemoApp demo = DemoApp.start(DemoConfig.of(issuer, gatewayUrl, demoJdbc, demoPort).withFeed(DEMO_FEED_CLIENT, feedSecret));
        try {
            Map<String, String> env = new HashMap<>();
            env.put("LATCHKEY_GATEWAY_ISSUER", issuer);
            env.put("LATCHKEY_GATEWAY_CLIENT_ID", GATEWAY_CLIENT);
            env.put("LATCHKEY_GATEWAY_CLIENT_SECRET", gatewaySecret);
            env.put("LATCHKEY_GATEWAY_PUBLIC_URL", gatewayUrl);
            env.put("LATCHKEY_GATEWAY_HOST", "127.0.0.1");
            env.put("LATCHKEY_GATEWAY_PORT", Integer.toString(gatewayPort));
            env.put("LATCHKEY_GATEWAY_ROUTES", "/api/notes=" + demoUpstream);
            env.put("LATCHKEY_GATEWAY_FRONTEND", demoUpstream);
            env.put("LATCHKEY_GATEWAY_PROTECTED_PATHS", "/dashboard");
            env.put("LATCHKEY_GATEWAY_DEFAULT_PAGE", "/dashboard");
            env.put("LATCHKEY_GATEWAY_DATABASE_URL", pg.jdbcUrl());
            env.put("LATCHKEY_GATEWAY_MASTER_KEY", b.masterKey().toBase64());
            env.put("LATCHKEY_GATEWAY_LOG_FORMAT", logFormat);
            env.put("LATCHKEY_GATEWAY_LOG_LEVEL", logLevel);
            return new DevStack(GatewayServer.start(GatewayConfigLoader.load(env)), demo);
        } catch (RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    GatewayServer gateway() {
        return gateway;
    }

    DemoApp demo() {
        return demo;
    }

    /** Registers the client, or brings an existing one up to date; either way returns a new secret. */
    private static String upsert(ClientRegistry clients, ClientRegistration r) {
        if (clients.find(r.clientId()).isEmpty()) {
            return Objects.requireNonNull(clients.register(r).secret());
        }
        clients.update(r.clientId(), r);
        return clients.rotateSecret(r.clientId()).secret();
    }

    /** Creates {@code name} on the same PostgreSQL if it is missing; returns its JDBC URL. */
    static String ensureDatabase(PostgresUrl server, String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("bad database name " + name);
        }
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password())) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + ": " + e.getMessage(), e);
        }
        return withDatabase(server, name);
    }

    /** The same server and credentials as {@code server}, database {@code name}. */
    static String withDatabase(PostgresUrl server, String name) {
        String jdbc = server.jdbcUrl();
        int slash = jdbc.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbc.indexOf('?', slash);
        String url = jdbc.substring(0, slash + 1) + name + (query < 0 ? "" : jdbc.substring(query));
        if (server.user() != null && !url.contains("user=")) {
            url += (url.contains("?") ? "&" : "?") + "user=" + URLEncoder.encode(server.user(), StandardCharsets.UTF_8);
        }
        if (server.password() != null && !url.contains("password=")) {
            url += (url.contains("?") ? "&" : "?") + "password=" + URLEncoder.encode(server.password(), StandardCharsets.UTF_8);
        }
        return url;
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            demo.close();
        }
    }
}
