package dev.latchkey.cli;

import dev.latchkey.core.oauth.ClientRegistration;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.org.Organization;
import dev.latchkey.examples.DemoApp;
import dev.latchkey.examples.DemoConfig;
import dev.latchkey.gateway.GatewayServer;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.config.GatewayConfigException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code latchkey dev} runs beside the server: the gateway (backend-for-frontend) on its own port
 * and the demo app (pages + notes API) behind it, both on the embedded PostgreSQL. The gateway and the
 * demo's revocation feed are OAuth clients of the server, registered (or updated) here at every start
 * with a fresh secret, so nothing secret is written to disk. {@code LATCHKEY_GATEWAY_*} variables override
 * dev's gateway settings ({@link DevGatewaySettings}). With {@code --nextjs} the gateway's
 * frontend is the Next.js example ({@link NextjsFrontend}) instead of the demo's own pages; the notes API is the same.
 * The demo's two organizations and their {@code writer} role are made sure of at every start ({@link DemoOrganizations}).
 */
final class DevStack implements AutoCloseable {
    static final String GATEWAY_CLIENT = "latchkey-dev-gateway";
    static final String DEMO_FEED_CLIENT = "latchkey-dev-demo";
    static final String DEMO_DATABASE = "latchkey_demo";
    static final String DEV_GATEWAY_SCOPE = "openid profile email offline_access latchkey:revocations";
    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

    private final GatewayServer gateway;
    private final DemoApp demo;
    private final NextjsFrontend nextjs;
    private final String gatewayUrl;
    private final List<String> fromEnvironment;
    private final List<Organization> organizations;

    private DevStack(GatewayServer gateway, DemoApp demo, NextjsFrontend nextjs, String gatewayUrl, List<String> fromEnvironment,
                     List<Organization> organizations) {
        this.organizations = organizations;
        this.gateway = gateway;
        this.demo = demo;
        this.nextjs = nextjs;
        this.gatewayUrl = gatewayUrl;
        this.fromEnvironment = fromEnvironment;
    }

    /** Ports: the gateway's public one (the URL people open) and the demo app's (reached only through the gateway). */
    static DevStack start(LatchkeyServer server, int gatewayPort, int demoPort, String logFormat, String logLevel) {
        return start(server, Map.of(), gatewayPort, demoPort, DEMO_DATABASE, logFormat, logLevel, null);
    }

    static DevStack start(LatchkeyServer server, int gatewayPort, int demoPort, String demoDatabase, String logFormat, String logLevel) {
        return start(server, Map.of(), gatewayPort, demoPort, demoDatabase, logFormat, logLevel, null);
    }

    /**
     * @param env         the environment: its {@code LATCHKEY_GATEWAY_*} variables override dev's gateway settings
     *                    ({@link DevGatewaySettings})
     * @param gatewayPort {@code --gateway-port}, or null (then {@code LATCHKEY_GATEWAY_PORT}, else 8000)
     * @param nextjs      when not null, the Next.js example is the gateway's frontend instead of the demo's pages (the notes
     *                    API stays)
     */
    static DevStack start(LatchkeyServer server, Map<String, String> env, Integer gatewayPort, int demoPort, String demoDatabase,
                          String logFormat, String logLevel, NextjsFrontend.Options nextjs) {
        Backend b = server.backend();
        PostgresUrl pg = b.embeddedPostgres().map(e -> e.url()).orElseGet(b::databaseUrl);
        String issuer = server.config().http().issuer();
        String demoUpstream = "http://127.0.0.1:" + demoPort;
        DevGatewaySettings settings = DevGatewaySettings.of(env, gatewayPort,
                new DevGatewaySettings.Dev(issuer, pg.jdbcUrl(), b.masterKey().toBase64(), demoUpstream, logFormat, logLevel));
        settings.warnings().forEach(w -> LOG.warn("{}", w));

        // checked before anything is registered or started; dev's own client gets its secret below
        Map<String, String> gatewayEnv = new HashMap<>(settings.env());
        if (!settings.ownClient()) {
            gatewayEnv.put("LATCHKEY_GATEWAY_CLIENT_SECRET", "registered-below");
        }
        GatewayConfig planned = gatewayConfig(gatewayEnv);
        DevGatewaySettings.checkLease(planned.sessions().refreshLease(), server.config().sessions().refreshGrace())
                .ifPresent(w -> LOG.warn("{}", w));
        String gatewayUrl = planned.http().origin();
        if (!settings.ownClient()) {
            List<String> postLogout = planned.client().postLogoutRedirectUri().toString().equals(gatewayUrl + "/")
                    ? List.of(gatewayUrl + "/") : List.of(gatewayUrl + "/", planned.client().postLogoutRedirectUri().toString());
            gatewayEnv.put("LATCHKEY_GATEWAY_CLIENT_SECRET", upsert(b.clients(), new ClientRegistration(GATEWAY_CLIENT,
                    "Latchkey dev gateway", "client_secret_basic", List.of(planned.http().redirectUri()), postLogout,
                    // token exchange: the gateway relays a caller's API key as a token it exchanged (docs/authorization.md#api-keys)
                    List.of("authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"),
                    scope(planned.client().scope()), planned.client().tokenAudience().map(List::of).orElse(null), true, false, null, null)));
        }
        String feedSecret = upsert(b.clients(), new ClientRegistration(DEMO_FEED_CLIENT, "Latchkey dev demo (revocation feed, relations)",
                "client_secret_basic", null, null, List.of("client_credentials"), "latchkey:revocations latchkey:fga", null, true, false, null, null));

        List<Organization> organizations = DemoOrganizations.ensure(b);

        String demoJdbc = ensureDatabase(pg, demoDatabase);
        DemoConfig demoConfig = DemoConfig.of(issuer, gatewayUrl, demoJdbc, demoPort).withFeed(DEMO_FEED_CLIENT, feedSecret)
                .withAssertionAudience(planned.assertion().audience());
        if (planned.client().tokenAudience().isPresent()) {
            demoConfig = demoConfig.withApiAudience(planned.client().tokenAudience().get());
        }
        DemoApp demo = DemoApp.start(demoConfig);
        NextjsFrontend next = null;
        try {
            if (nextjs != null) {
                // latchkey dev --nextjs: the Next.js example renders the pages; its proxy (not the gateway) protects them
                next = NextjsFrontend.start(nextjs, gatewayUrl, planned.assertion().audience(), demoUpstream,
                        line -> System.out.println("next | " + line));
                gatewayEnv.put("LATCHKEY_GATEWAY_FRONTEND", next.url());
                String routes = gatewayEnv.get("LATCHKEY_GATEWAY_ROUTES");
                gatewayEnv.put("LATCHKEY_GATEWAY_ROUTES", (routes == null || routes.isBlank() ? "" : routes + ",") + "/api/bff=" + next.url());
                gatewayEnv.remove("LATCHKEY_GATEWAY_PROTECTED_PATHS");
            }
            return new DevStack(GatewayServer.start(gatewayConfig(gatewayEnv)), demo, next, gatewayUrl, settings.fromEnvironment(),
                    organizations);
        } catch (RuntimeException e) {
            if (next != null) {
                next.close();
            }
            demo.close();
            throw e;
        }
    }

    private static GatewayConfig gatewayConfig(Map<String, String> env) {
        try {
            return GatewayConfigLoader.load(env);
        } catch (GatewayConfigException e) {
            throw new CliException(e.getMessage());
        }
    }

    /** Dev's scopes, plus any other that LATCHKEY_GATEWAY_SCOPE asks for. */
    private static String scope(String requested) {
        Set<String> scopes = new LinkedHashSet<>(List.of(DEV_GATEWAY_SCOPE.split(" ")));
        scopes.addAll(List.of(requested.strip().split(" +")));
        return String.join(" ", scopes);
    }

    /** The gateway's public URL (http://localhost:8000 unless the environment says otherwise). */
    String gatewayUrl() {
        return gatewayUrl;
    }

    /** The LATCHKEY_GATEWAY_* variables the gateway took from the environment. */
    List<String> fromEnvironment() {
        return fromEnvironment;
    }

    /** The demo's organizations ({@link DemoOrganizations}), made sure of at start. */
    List<Organization> organizations() {
        return organizations;
    }

    GatewayServer gateway() {
        return gateway;
    }

    DemoApp demo() {
        return demo;
    }

    /** The Next.js example, when started with one. */
    java.util.Optional<NextjsFrontend> nextjs() {
        return java.util.Optional.ofNullable(nextjs);
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
            try {
                if (nextjs != null) {
                    nextjs.close();
                }
            } finally {
                demo.close();
            }
        }
    }
}
