package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditType;
import dev.latchkey.gateway.session.SessionIds;
import dev.latchkey.server.Http;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A gateway node's refresh is overtaken: it leaves with the session's refresh token, is held on its way to the
 * server, its cross-node lock lapses meanwhile (a lease outlived by a slow request), and another node refreshes the
 * session twice. The server refuses the late token with invalid_grant, revoking nothing (a token it replaced moments
 * ago); the first node must not end the session for that, but continue with what the other node stored.
 */
class OvertakenRefreshTest {
    @Test
    void aLateRefreshRefusedAsStaleKeepsTheSessionWithTheNewerTokens() throws Exception {
        String redis = TestRedis.requireReachable();
        try (HoldingProxy proxy = new HoldingProxy()) {
            // a long lease (and grace window): node A's held attempt must not time out and be repeated while B refreshes
            Map<String, String> gatewayEnv = Map.of("LATCHKEY_GATEWAY_ISSUER", proxy.url(), "LATCHKEY_GATEWAY_REDIS_URL", redis,
                    "LATCHKEY_GATEWAY_REFRESH_LEASE", "30s");
            try (GatewayFixture f = new GatewayFixture(
                    Map.of("LATCHKEY_PUBLIC_URL", proxy.url(), "LATCHKEY_TOKENS_REFRESH_GRACE", "60s"), gatewayEnv)) {
                proxy.target(f.idp.base);
                MutableClock clockB = new MutableClock(f.clock.instant());
                GatewayServer nodeB = f.node(0, gatewayEnv, clockB);
                String email = f.newUser();
                GatewayFixture.Browser b = f.new Browser();
                assertThat(b.signIn(email, "/").status()).isEqualTo(303);
                Http viaB = new Http(nodeB.baseUrl());
                viaB.cookies.put("__Host-lk-session", b.session());
                String first = token(b.gw.get("/api/notes"));
                assertThat(token(viaB.get("/api/notes"))).isEqualTo(first);

                // node A's token is about to expire: its refresh leaves and is held on the way
                f.clock.advance(Duration.ofMinutes(5));
                HoldingProxy.Hold held = proxy.holdNextRefresh();
                CompletableFuture<Http.Response> onA = CompletableFuture.supplyAsync(() -> b.gw.get("/api/notes"));
                held.arrived();

                // its lock lapses, and node B refreshes the session twice
                lapseRefreshLock(redis, f, b.session());
                clockB.advance(Duration.ofMinutes(5));
                String second = token(viaB.get("/api/notes"));
                clockB.advance(Duration.ofMinutes(5));
                String newest = token(viaB.get("/api/notes"));
                assertThat(newest).isNotIn(first, second);
                assertThat(f.refreshGenerations(email)).isEqualTo(2);

                held.release();
                Http.Response late = onA.get(60, TimeUnit.SECONDS);

                // node A kept the session and used what node B stored; nothing was revoked at the server
                assertThat(token(late)).isEqualTo(newest);
                assertThat(token(b.gw.get("/api/notes"))).isEqualTo(newest);
                assertThat(f.refreshGenerations(email)).isEqualTo(2);
                clockB.advance(Duration.ofMinutes(5));
                assertThat(token(viaB.get("/api/notes"))).isNotEqualTo(newest);   // and the family rotates on
                assertThat(f.refreshGenerations(email)).isEqualTo(3);
                assertThat(f.idp.ts.backend().audit().recent(f.userId(email), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
            }
        }
    }

    /** Deletes the session's Redis refresh lock, as the expiry of its lease would. */
    private static void lapseRefreshLock(String redis, GatewayFixture f, String cookie) {
        String key = "latchkey:gateway:refresh:" + HexFormat.of().formatHex(new SessionIds(f.sessionKey).hash(cookie));
        RedisClient client = RedisClient.create(redis);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().del(key)).as("the lock node A holds").isEqualTo(1L);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static String token(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("headers").get("authorization").asText();
    }
}
