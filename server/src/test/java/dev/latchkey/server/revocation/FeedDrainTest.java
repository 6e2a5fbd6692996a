package dev.latchkey.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A server that drains ends its revocation-feed streams and answers its waiting long polls at once, so the
 * consumers resume on another node and neither holds the drain up until its timeout.
 */
class FeedDrainTest {
    private static final Pattern OPEN = Pattern.compile("(?m)^latchkey_revocation_feed_connections(?:\\{[^}]*})? ([0-9.]+)$");

    @Test
    void drainingEndsStreamsAndAnswersLongPolls() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger feedLog = (Logger) LoggerFactory.getLogger(RevocationFeedEndpoint.class);
        logs.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        logs.start();
        feedLog.addAppender(logs);
        TestServer ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", RevocationFeedEndpointTest.ADMIN_KEY));
        try {
            Http.Response reg = new Http(ts.base).postJson("/admin/v1/clients", """
                    {"client_id":"feed-drain","grant_types":["client_credentials"],"scope":"latchkey:revocations"}""",
                    "Authorization", "Bearer " + RevocationFeedEndpointTest.ADMIN_KEY);
            assertThat(reg.status()).as(reg.body()).isEqualTo(201);
            String basic = RevocationFeedEndpointTest.basic("feed-drain", reg.json().path("client_secret").asText());
            try (SseProbe sse = SseProbe.open(ts.base + "/api/revocations/events", "Authorization", basic)) {
                List<String> f;
                do {
                    f = sse.nextEvent(Duration.ofSeconds(30));
                } while (!f.contains("event: ready"));
                CompletableFuture<Http.Response> longPoll = CompletableFuture.supplyAsync(
                        () -> new Http(ts.base).get("/api/revocations?wait=30", "Authorization", basic));
                awaitOpen(ts, 2);                         // the stream and the waiting poll

                CompletableFuture<Void> closing = CompletableFuture.runAsync(ts::close);
                Http.Response answered = longPoll.get(60, TimeUnit.SECONDS);
                assertThat(answered.status()).as(answered.body()).isEqualTo(200);
                assertThat(answered.json().path("events").isArray()).isTrue();
                List<String> last;
                do {
                    last = sse.next(Duration.ofSeconds(60));
                } while (!sse.ended(last));
                closing.get(60, TimeUnit.SECONDS);
            }
        } finally {
            ts.close();
            feedLog.detachAppender(logs);
        }
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("revocation feed of feed-drain ended", "this node is shutting down"));
    }

    private static void awaitOpen(TestServer ts, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = OPEN.matcher(new Http(ts.base).get("/metrics").body());
            if (m.find() && Double.parseDouble(m.group(1)) >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(n + " feed connections never opened");
    }
}
