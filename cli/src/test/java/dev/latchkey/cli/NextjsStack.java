package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.examples.DemoApp;
import dev.latchkey.examples.DemoConfig;
import dev.latchkey.gateway.GatewayServer;
import dev.latchkey.gateway.config.GatewayConfigLoader;
import dev.latchkey.gateway.session.GatewaySession;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.server.Http;
import dev.latchkey.server.oidc.OidcFixture;
import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@code latchkey dev --nextjs} runs, with test handles: a real Latchkey server (its own database), the real
 * gateway (its own database and a {@link SkewedClock}, so a test can make its access tokens expire), the demo's
 * notes API on PostgreSQL RLS, and the Next.js example in production mode ({@code next start} of a
 * {@code next build}) as the gateway's frontend. The gateway protects no path itself: the example's proxy does.
 */
final class NextjsStack implements AutoCloseable {
    static final String CLIENT_ID = "gateway";

    final OidcFixture idp;
    final SkewedClock clock = new SkewedClock();
    final MasterKey sessionKey = MasterKey.generate();
    final String publicUrl;
    final String clientSecret;
    private final List<AutoCloseable> started = new ArrayList<>();
    final DemoApp notes;
    final NextjsFrontend next;
    final GatewayServer gateway;

    NextjsStack() throws IOException {
        idp = new OidcFixture(Map.of("LATCHKEY_RATELIMIT_ENABLED", "false"));   // many sign-ins of one account
        started.add(idp);
        try {
            int port = freePort();
            publicUrl = "http://localhost:" + port;
            clientSecret = idp.register("""
                    {"client_id":"%s","client_name":"Gateway","token_endpoint_auth_method":"client_secret_basic",
                     "redirect_uris":["%s/auth/callback"],"post_logout_redirect_uris":["%s/"],
                     "grant_types":["authorization_code","refresh_token","client_credentials"],
                     "scope":"openid profile email offline_access latchkey:revocations","first_party":true}"""
                    .formatted(CLIENT_ID, publicUrl, publicUrl)).get("client_secret").asText();
            String feedSecret = idp.register("""
                    {"client_id":"notes-feed","token_endpoint_auth_method":"client_secret_basic","grant_types":["client_credentials"],
                     "scope":"latchkey:revocations","first_party":true}""").get("client_secret").asText();
            TestPostgres.Database notesDb = TestPostgres.createDatabase();
            started.add(notesDb);
            notes = DemoApp.start(DemoConfig.of(idp.base, publicUrl, notesDb.jdbcUrl(), 0).withFeed("notes-feed", feedSecret));
            started.add(notes);
            next = NextjsFrontend.start(new NextjsFrontend.Options(NextjsExample.built(), freePort()), publicUrl,
                    DemoConfig.DEFAULT_ASSERTION_AUDIENCE, "http://127.0.0.1:" + notes.port(), line -> { });
            started.add(next);
            TestPostgres.Database gatewayDb = TestPostgres.createDatabase();
            started.add(gatewayDb);
            Map<String, String> env = new HashMap<>();
            env.put("LATCHKEY_GATEWAY_ISSUER", idp.base);
            env.put("LATCHKEY_GATEWAY_CLIENT_ID", CLIENT_ID);
            env.put("LATCHKEY_GATEWAY_CLIENT_SECRET", clientSecret);
            env.put("LATCHKEY_GATEWAY_PUBLIC_URL", publicUrl);
            env.put("LATCHKEY_GATEWAY_HOST", "127.0.0.1");
            env.put("LATCHKEY_GATEWAY_PORT", Integer.toString(port));
            env.put("LATCHKEY_GATEWAY_ROUTES", "/api/notes=http://127.0.0.1:" + notes.port() + ",/api/bff=" + next.url());
            env.put("LATCHKEY_GATEWAY_FRONTEND", next.url());
            env.put("LATCHKEY_GATEWAY_DEFAULT_PAGE", "/dashboard");
            env.put("LATCHKEY_GATEWAY_DATABASE_URL", gatewayDb.jdbcUrl());
            env.put("LATCHKEY_GATEWAY_SESSION_KEY", sessionKey.toBase64());
            gateway = GatewayServer.start(GatewayConfigLoader.load(env), clock);
            started.add(gateway);
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    /** A user named Olga with {@link OidcFixture#PASSWORD}. */
    String newUser() {
        return idp.newUser();
    }

    /** Makes {@code email} a member of a new organization with {@code roles}; returns the organization's id. */
    String newOrgWith(String email, String... roles) {
        Http admin = new Http(idp.base);
        Http.Response org = admin.postJson("/admin/v1/orgs", "{\"name\":\"Acme " + UUID.randomUUID().toString().substring(0, 6) + "\"}",
                "Authorization", "Bearer " + OidcFixture.ADMIN_KEY);
        assertThat(org.status()).as(org.body()).isEqualTo(201);
        String id = org.json().get("id").asText();
        Http.Response member = admin.send(HttpRequest.newBuilder(URI.create(idp.base + "/admin/v1/orgs/" + id + "/members/" + email))
                .header("Authorization", "Bearer " + OidcFixture.ADMIN_KEY).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"roles\":" + Http.JSON.valueToTree(List.of(roles)) + "}")));
        assertThat(member.status()).as(member.body()).isEqualTo(200);
        return id;
    }

    /** The gateway session a browser's {@code __Host-lk-session} cookie names. */
    Optional<GatewaySession> session(String cookie) {
        return gateway.sessions().find(new SessionIds(sessionKey).hash(cookie));
    }

    /** The sum of rotations of the gateway's refresh-token families of a user, from the server's database. */
    long refreshGenerations(String email) throws SQLException {
        UUID user = idp.ts.backend().users().findByEmail(dev.latchkey.core.account.EmailAddress.parse(email)).orElseThrow().id();
        try (Connection c = DriverManager.getConnection(idp.ts.db.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(generation), 0) FROM refresh_families WHERE user_id = ? AND client_id = ?")) {
            ps.setObject(1, user);
            ps.setString(2, CLIENT_ID);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The system clock plus an offset a test moves forward: the gateway keeps time (its assertions live 60 s and
     * Next.js checks them against its own clock) and a test can still jump past an access token's expiry.
     */
    static final class SkewedClock extends java.time.Clock {
        private volatile java.time.Duration offset = java.time.Duration.ZERO;

        void advance(java.time.Duration d) {
            offset = offset.plus(d);
        }

        /** Back to the system clock (Next.js refuses assertions issued in its future). */
        void reset() {
            offset = java.time.Duration.ZERO;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(offset);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : started.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
        started.clear();
    }
}
