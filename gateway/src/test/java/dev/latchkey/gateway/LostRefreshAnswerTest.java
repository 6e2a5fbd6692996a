package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.audit.AuditType;
import dev.latchkey.server.Http;
import dev.latchkey.testkit.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's refresh reaches the server, which rotates the refresh token, and the answer is lost on the way back
 * (a fault-injecting TCP proxy between gateway and server: the connection reset, an answer that never comes, a
 * proxy's 504). The gateway repeats the refresh at once with the same token, inside the server's grace window, and
 * gets the same successor, instead of going on with the old token and presenting it minutes later, when the server
 * must take it for a stolen one. No session is lost; the server rotates once and records no reuse.
 */
class LostRefreshAnswerTest {
    static final String REFRESH = "grant_type=refresh_token";

    FaultProxy proxy;
    GatewayFixture f;
    String email;
    GatewayFixture.Browser b;

    @BeforeEach
    void start() throws Exception {
        proxy = FaultProxy.start();
        f = new GatewayFixture(Map.of("LATCHKEY_PUBLIC_URL", proxy.url()), Map.of("LATCHKEY_GATEWAY_ISSUER", proxy.url()));
        proxy.target("127.0.0.1", URI.create(f.idp.base).getPort());
        email = f.newUser();
        b = f.new Browser();
        assertThat(b.signIn(email, "/").status()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        f.close();
        proxy.close();
    }

    @Test
    void aRefreshWhoseConnectionIsResetBeforeTheAnswerIsRepeatedAtOnceAndGetsTheSameSuccessor() throws Exception {
        String first = bearer(b.gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5).minusSeconds(20));        // refresh due; the token is still valid for 20 s
        long requests = f.tokenRequests();
        proxy.onNext(REFRESH, 1, new FaultProxy.DropAnswer());
        String second = bearer(b.gw.get("/api/notes"));
        assertThat(proxy.applied()).as("the answer was lost").isEqualTo(1);
        assertThat(second).as("refreshed at once, not left for a later request").isNotEqualTo(first);
        assertThat(f.tokenRequests() - requests).as("the lost refresh and its repeat").isEqualTo(2);
        assertThat(f.refreshGenerations(email)).as("the repeat got the same successor: one rotation").isEqualTo(1);

        // the next refresh presents that successor: the family rotates on, nothing is taken for a reuse
        f.clock.advance(Duration.ofMinutes(5));
        String third = bearer(b.gw.get("/api/notes"));
        assertThat(third).isNotIn(first, second);
        assertThat(f.refreshGenerations(email)).isEqualTo(2);
        assertNoReuse();
    }

    @Test
    void aProxysGatewayTimeoutIsRepeated() throws Exception {
        String first = bearer(b.gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5));
        proxy.onNext(REFRESH, 2, new FaultProxy.ReplaceAnswer(504));   // the server rotated; the proxy in front said 504, twice
        String second = bearer(b.gw.get("/api/notes"));
        assertThat(proxy.applied()).isEqualTo(2);
        assertThat(second).isNotEqualTo(first);
        assertThat(f.refreshGenerations(email)).isEqualTo(1);
        f.clock.advance(Duration.ofMinutes(5));
        assertThat(bearer(b.gw.get("/api/notes"))).isNotIn(first, second);
        assertThat(f.refreshGenerations(email)).isEqualTo(2);
        assertNoReuse();
    }

    @Test
    void anAnswerThatNeverComesTimesOutWithinTheLeaseAndIsRepeated() throws Exception {
        String first = bearer(b.gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5));
        proxy.onNext(REFRESH, 1, new FaultProxy.SwallowAnswer());
        String second = bearer(b.gw.get("/api/notes"));
        assertThat(proxy.applied()).isEqualTo(1);
        assertThat(second).isNotEqualTo(first);
        assertThat(f.refreshGenerations(email)).isEqualTo(1);
        assertNoReuse();
    }

    @Test
    void whenEveryAttemptIsLostTheNextRequestSoonAfterStillGetsTheSameSuccessor() throws Exception {
        String first = bearer(b.gw.get("/api/notes"));
        f.clock.advance(Duration.ofMinutes(5).minusSeconds(20));
        proxy.onNext(REFRESH, 1000, new FaultProxy.SwallowAnswer());
        // every attempt within the lease is lost: the request goes on with the still-valid token
        assertThat(bearer(b.gw.get("/api/notes"))).isEqualTo(first);
        assertThat(proxy.applied()).as("the refresh was repeated").isGreaterThan(1);
        assertThat(f.refreshGenerations(email)).as("the server rotated").isEqualTo(1);

        // the network heals; the next request is still inside the grace window of that rotation
        proxy.heal();
        String second = bearer(b.gw.get("/api/notes"));
        assertThat(second).isNotEqualTo(first);
        assertThat(f.refreshGenerations(email)).as("the same successor again").isEqualTo(1);
        f.clock.advance(Duration.ofMinutes(5));
        assertThat(bearer(b.gw.get("/api/notes"))).isNotIn(first, second);
        assertThat(f.refreshGenerations(email)).isEqualTo(2);
        assertNoReuse();
    }

    private void assertNoReuse() {
        assertThat(f.idp.ts.backend().audit().recent(f.userId(email), AuditType.REFRESH_TOKEN_REUSE, 10)).as("reuse events").isEmpty();
    }

    private static String bearer(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("headers").get("authorization").asText();
    }
}
