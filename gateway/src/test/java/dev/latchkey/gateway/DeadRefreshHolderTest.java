package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditType;
import dev.latchkey.gateway.session.GatewaySession;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.server.Http;
import dev.latchkey.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway node is killed (SIGKILL) in the middle of a refresh: it had claimed the session's lease and its refresh
 * had reached the server, which rotated the refresh token, but it never stored the new tokens nor released the lease.
 * Simulated exactly: the test claims the lease as that node would (for the configured lease time, by the store's
 * clock) and spends the session's refresh token at the server itself, discarding the answer. The user's next request
 * goes to another node: it waits for the dead node's lease to run out, presents the refresh token the server replaced
 * a lease time ago — inside the server's grace window, because the lease is shorter — gets the same successor, and
 * the session goes on. The server rotated once and recorded no reuse. (With the lease longer than the grace window,
 * the takeover presented a token the server took for a stolen one, and the user was signed out.)
 */
class DeadRefreshHolderTest {
    GatewayFixture f;
    String email;
    GatewayFixture.Browser b;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
        email = f.newUser();
        b = f.new Browser();
        assertThat(b.signIn(email, "/").status()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aNodeKilledMidRefreshWithTheLeaseInPostgresLosesNoSession() throws Exception {
        GatewayServer other = f.node(0, Map.of(), f.clock);
        survivesADeadHolder(b.gw, via(other), lease -> {
            try (Connection c = java.sql.DriverManager.getConnection(f.gatewayDb.jdbcUrl());
                 PreparedStatement ps = c.prepareStatement("INSERT INTO gateway_refresh_leases (id_hash, holder, expires_at)"
                         + " VALUES (?, 'the-killed-node', clock_timestamp() + ? * interval '1 millisecond')")) {
                ps.setBytes(1, idHash());
                ps.setLong(2, lease.toMillis());
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        });
    }

    @Test
    void aNodeKilledMidRefreshWithTheLeaseInRedisLosesNoSession() throws Exception {
        String url = TestRedis.requireReachable();
        GatewayServer one = f.node(0, Map.of("LATCHKEY_GATEWAY_REDIS_URL", url), f.clock);
        GatewayServer other = f.node(0, Map.of("LATCHKEY_GATEWAY_REDIS_URL", url), f.clock);
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            survivesADeadHolder(via(one), via(other), lease -> assertThat(redis.sync().set("latchkey:gateway:refresh:" + HexFormat.of().formatHex(idHash()),
                    "the-killed-node", SetArgs.Builder.nx().px(lease.toMillis()))).isEqualTo("OK"));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    interface LeaseClaim {
        void claim(Duration lease) throws Exception;
    }

    private Http via(GatewayServer node) {
        Http h = new Http(node.baseUrl());
        h.cookies.put("__Host-lk-session", b.session());
        return h;
    }

    /** {@code viaOne} and {@code viaOther}: the user's browser at two nodes (the dead one was a third). */
    private void survivesADeadHolder(Http viaOne, Http viaOther, LeaseClaim deadNodesLease) throws Exception {
        String first = bearer(viaOne.get("/api/notes"));
        assertThat(bearer(viaOther.get("/api/notes"))).isEqualTo(first);
        f.clock.advance(Duration.ofMinutes(5));

        // the node that is about to die: claims the lease, and its refresh is processed by the server
        Duration lease = f.gateway.config().sessions().refreshLease();
        deadNodesLease.claim(lease);
        GatewaySession s = f.gateway.sessions().findFresh(idHash()).orElseThrow();
        HttpResponse<String> spent = refreshAtTheServer(s.tokens().refreshToken().orElseThrow());
        assertThat(spent.statusCode()).as(spent.body()).isEqualTo(200);
        assertThat(f.refreshGenerations(email)).isEqualTo(1);
        long requests = f.tokenRequests();

        // killed: nothing stored, nothing released. The user's next request lands on another node.
        String second = bearer(viaOther.get("/api/notes"));
        assertThat(second).isNotEqualTo(first);
        assertThat(f.tokenRequests() - requests).as("one refresh at the server").isEqualTo(1);
        assertThat(f.refreshGenerations(email)).as("it got the successor the dead node was given").isEqualTo(1);
        assertThat(bearer(viaOne.get("/api/notes"))).as("and every node uses it").isEqualTo(second);
        f.clock.advance(Duration.ofMinutes(5));
        assertThat(bearer(viaOne.get("/api/notes"))).isNotIn(first, second);
        assertThat(f.refreshGenerations(email)).isEqualTo(2);
        assertThat(f.idp.ts.backend().audit().recent(f.userId(email), AuditType.REFRESH_TOKEN_REUSE, 10)).as("reuse events").isEmpty();
    }

    private byte[] idHash() {
        return new SessionIds(f.sessionKey).hash(b.session());
    }

    private HttpResponse<String> refreshAtTheServer(String refreshToken) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("gateway:" + URLEncoder.encode(f.clientSecret, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest r = HttpRequest.newBuilder(URI.create(f.idp.base + "/oauth2/token")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token="
                        + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8))).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String bearer(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("headers").get("authorization").asText();
    }
}
