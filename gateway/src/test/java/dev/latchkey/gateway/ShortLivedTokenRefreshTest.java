package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.gateway.session.SessionService;
import dev.latchkey.gateway.session.SessionTokens;
import dev.latchkey.server.Http;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Access tokens that live no longer than {@code LATCHKEY_GATEWAY_REFRESH_SKEW} (30 s by default): the margin gives
 * way to a tenth of the token's lifetime, so steady traffic refreshes about once per lifetime instead of on every
 * request. The gateway's clock is injected; the server issues real 10 s tokens.
 */
class ShortLivedTokenRefreshTest {

    @Test
    void withTenSecondTokensSteadyTrafficRefreshesOncePerLifetime() throws Exception {
        Logger sessions = (Logger) LoggerFactory.getLogger(SessionService.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        sessions.addAppender(logs);
        // the revocation feed is off: its own client-credentials token, 10 s too, would be fetched again at the token
        // endpoint the test counts
        try (GatewayFixture f = new GatewayFixture(Map.of("LATCHKEY_TOKENS_ACCESS_TTL", "10s"),
                Map.of("LATCHKEY_GATEWAY_REVOCATION_FEED", "false"))) {
            String email = f.newUser();
            GatewayFixture.Browser b = f.new Browser();
            assertThat(b.signIn(email, "/").status()).isEqualTo(303);
            assertThat(b.signIn(email, "/").status()).isEqualTo(303);      // a second session: the lifetime is told once
            assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage).asString()
                    .contains("live 10s", "every request would refresh", "LATCHKEY_GATEWAY_REFRESH_SKEW (30s)", "refreshed 1s before");
            long requests = f.tokenRequests();
            List<String> seen = new ArrayList<>();
            for (int second = 0; second < 60; second++) {          // one request per second for a minute: six lifetimes
                Http.Response r = b.gw.get("/api/notes");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                seen.add(r.json().get("headers").get("authorization").asText());
                f.clock.advance(Duration.ofSeconds(1));
            }
            Set<String> tokens = new LinkedHashSet<>(seen);
            // refreshed 1 s (a tenth of 10 s) before each expiry: at 9 s, 18 s, … 54 s; never more than once per token
            assertThat(f.refreshGenerations(email)).as("refresh-family rotations").isEqualTo(6);
            assertThat(f.tokenRequests() - requests).as("token requests at the server").isEqualTo(6);
            assertThat(tokens).hasSize(7);
            for (String t : tokens) {
                long uses = seen.stream().filter(t::equals).count();
                assertThat(uses).as("requests relaying one token").isGreaterThanOrEqualTo(6).isLessThanOrEqualTo(9);
            }
        } finally {
            sessions.detachAppender(logs);
        }
    }

    @Test
    void theMarginIsTheSkewButAtMostATenthOfTheTokensLifetime() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Duration skew = Duration.ofSeconds(30);
        assertThat(tokens(t, Duration.ofMinutes(5)).refreshMargin(skew)).isEqualTo(Duration.ofSeconds(30));
        assertThat(tokens(t, Duration.ofMinutes(15)).refreshMargin(skew)).isEqualTo(Duration.ofSeconds(30));
        assertThat(tokens(t, Duration.ofMinutes(1)).refreshMargin(skew)).isEqualTo(Duration.ofSeconds(6));
        assertThat(tokens(t, Duration.ofSeconds(30)).refreshMargin(skew)).isEqualTo(Duration.ofSeconds(3));
        assertThat(tokens(t, Duration.ofSeconds(10)).refreshMargin(skew)).isEqualTo(Duration.ofSeconds(1));
        assertThat(tokens(t, Duration.ofSeconds(1)).refreshMargin(skew)).isEqualTo(Duration.ofMillis(100));
        assertThat(tokens(t, Duration.ofMinutes(5)).refreshMargin(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    }

    private static SessionTokens tokens(Instant issued, Duration lifetime) {
        return new SessionTokens("at", issued, issued.plus(lifetime), Optional.of("rt"), "idt");
    }
}
