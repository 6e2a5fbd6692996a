package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.config.GatewayConfigLoader;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Latchkey server (its own fresh database), the gateway registered there as a confidential first-party client,
 * an echo API and a frontend, and gateway nodes on their own database sharing one session key.
 */
final class GatewayFixture implements AutoCloseable {
    static final String AUDIENCE = "latchkey-app";
    private static final Pattern TOKEN_REQUESTS = Pattern.compile(
            "latchkey_http_requests_seconds_count\\{[^}]*route=\"/oauth2/token\"[^}]*} ([0-9.E]+)");

    final OidcFixture idp;
    final TestPostgres.Database gatewayDb;
    final Apps.EchoApi api;
    final Apps.Frontend frontend;
    final int port;
    final String publicUrl;
    final String clientSecret;
    final MasterKey sessionKey = MasterKey.generate();
    final MutableClock clock = MutableClock.atNow();
    final List<GatewayServer> nodes = new ArrayList<>();
    GatewayServer gateway;

    GatewayFixture(Map<String, String> serverEnv, Map<String, String> gatewayEnv) throws Exception {
        this(serverEnv, gatewayEnv, 0);
    }

    /** @param publicPort the port of the origin browsers see (a proxy in front of the gateway); 0: the gateway's own */
    GatewayFixture(Map<String, String> serverEnv, Map<String, String> gatewayEnv, int publicPort) throws Exception {
        Map<String, String> se = new HashMap<>(serverEnv);
        se.putIfAbsent("LATCHKEY_RATELIMIT_ENABLED", "false");     // many sign-ins of one account in a few seconds
        idp = new OidcFixture(se);
        gatewayDb = TestPostgres.createDatabase();
        port = freePort();
        publicUrl = "http://localhost:" + (publicPort == 0 ? port : publicPort);
        clientSecret = idp.register("""
                {"client_id":"gateway","client_name":"Gateway","token_endpoint_auth_method":"client_secret_basic",
                 "redirect_uris":["%s/auth/callback"],"post_logout_redirect_uris":["%s/"],
                 "grant_types":["authorization_code","refresh_token","client_credentials","urn:ietf:params:oauth:grant-type:token-exchange"],
                 "scope":"openid profile email offline_access latchkey:revocations","first_party":true}"""
                .formatted(publicUrl, publicUrl)).get("client_secret").asText();
        api = new Apps.EchoApi();
        frontend = new Apps.Frontend(publicUrl, AUDIENCE);
        gateway = node(port, gatewayEnv, clock);
    }

    /** A gateway node on the shared gateway database; {@code port} 0 for any free port. */
    GatewayServer node(int listenPort, Map<String, String> extra, Clock nodeClock) {
        Map<String, String> env = new HashMap<>();
        env.put("LATCHKEY_GATEWAY_ISSUER", idp.base);
        env.put("LATCHKEY_GATEWAY_CLIENT_ID", "gateway");
        env.put("LATCHKEY_GATEWAY_CLIENT_SECRET", clientSecret);
        env.put("LATCHKEY_GATEWAY_PUBLIC_URL", publicUrl);
        env.put("LATCHKEY_GATEWAY_HOST", "127.0.0.1");
        env.put("LATCHKEY_GATEWAY_PORT", Integer.toString(listenPort));
        env.put("LATCHKEY_GATEWAY_ROUTES", "/api/notes=" + api.base());
        env.put("LATCHKEY_GATEWAY_FRONTEND", frontend.base());
        env.put("LATCHKEY_GATEWAY_PROTECTED_PATHS", "/dashboard");
        env.put("LATCHKEY_GATEWAY_DATABASE_URL", gatewayDb.jdbcUrl());
        env.put("LATCHKEY_GATEWAY_SESSION_KEY", sessionKey.toBase64());
        env.putAll(extra);
        GatewayConfig cfg = GatewayConfigLoader.load(env);
        GatewayServer g = GatewayServer.start(cfg, nodeClock);
        nodes.add(g);
        return g;
    }

    /** A browser: one cookie jar for the gateway, one for the server. */
    final class Browser {
        final Http gw;
        final Http server;

        Browser(String gatewayBase) {
            gw = new Http(gatewayBase);
            server = new Http(idp.base);
        }

        Browser() {
            this(publicUrl);
        }

        String session() {
            return gw.cookies.get("__Host-lk-session");
        }

        /** Starts at /auth/login, signs in at the server; returns the callback URL (not yet visited). */
        String authorizeAndSignIn(String email, String returnTo) {
            Http.Response login = gw.get("/auth/login?returnTo=" + java.net.URLEncoder.encode(returnTo, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(login.status()).as(login.body()).isEqualTo(303);
            return idp.browse(server, login.header("Location"), email, publicUrl + "/auth/callback");
        }

        /** The whole sign-in; returns the callback's response (303 to returnTo). */
        Http.Response signIn(String email, String returnTo) {
            String callback = authorizeAndSignIn(email, returnTo);
            return gw.get(callback.replace(publicUrl, gw.base));
        }
    }

    String newUser() {
        return idp.newUser();
    }

    UUID userId(String email) {
        return idp.ts.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id();
    }

    /** Token-endpoint requests the server has answered (its own Prometheus counter). */
    long tokenRequests() {
        Http.Response r = new Http(idp.base).get("/metrics");
        Matcher m = TOKEN_REQUESTS.matcher(r.body());
        long n = 0;
        while (m.find()) {
            n += (long) Double.parseDouble(m.group(1));
        }
        return n;
    }

    /** The sum of rotations of the gateway's refresh-token families of a user, from the server's database. */
    long refreshGenerations(String email) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(idp.ts.db.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(generation), 0) FROM refresh_families WHERE user_id = ? AND client_id = 'gateway'")) {
            ps.setObject(1, userId(email));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static URI uri(String s) {
        return URI.create(s);
    }

    @Override
    public void close() {
        for (GatewayServer g : nodes.reversed()) {
            g.close();
        }
        api.close();
        frontend.close();
        gatewayDb.close();
        idp.close();
    }
}
