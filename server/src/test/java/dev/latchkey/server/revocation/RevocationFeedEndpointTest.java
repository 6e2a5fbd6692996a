package dev.latchkey.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.server.Http;
import dev.latchkey.server.TestServer;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.Problems;
import dev.latchkey.server.http.SecurityHeaders;
import dev.latchkey.server.oidc.OAuthRequests;
import dev.latchkey.server.oidc.OAuthResponses;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The revocation feed over real HTTP against a real server and PostgreSQL: access, SSE framing, resume, replay, ping, limits, long poll. */
class RevocationFeedEndpointTest {
    static final String ADMIN_KEY = "lka_test-admin-key-0123456789abcdefghijklmnop";
    static final Duration WAIT = Duration.ofSeconds(10);
    static TestServer ts;
    static String feedUrl;
    static String basic;
    static String postSecret;
    static String noScope;

    @BeforeAll
    static void start() {
        ts = TestServer.start(Map.of("LATCHKEY_ADMIN_API_KEY", ADMIN_KEY));
        feedUrl = ts.base + "/api/revocations/events";
        basic = basic("feed-basic", register("""
                {"client_id":"feed-basic","grant_types":["client_credentials"],"scope":"latchkey:revocations"}"""));
        postSecret = register("""
                {"client_id":"feed-post","token_endpoint_auth_method":"client_secret_post","grant_types":["client_credentials"],
                 "scope":"latchkey:revocations"}""");
        noScope = basic("no-scope", register("""
                {"client_id":"no-scope","grant_types":["client_credentials"],"scope":"notes:read"}"""));
        register("""
                {"client_id":"spa","token_endpoint_auth_method":"none","redirect_uris":["https://spa.example.test/cb"],
                 "scope":"openid latchkey:revocations"}""");
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    static String register(String json) {
        Http.Response r = new Http(ts.base).postJson("/admin/v1/clients", json, "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("client_secret").asText(null);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    static UUID newUser() {
        String email = "feed-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = new Http(ts.base).postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return ts.backend().users().findByEmail(EmailAddress.parse(email)).orElseThrow().id();
    }

    static long head() {
        return ts.backend().revocationLog().head();
    }

    @Test
    void onlyConfidentialClientsRegisteredForTheScopeMayReadIt() {
        Http h = new Http(ts.base);
        Http.Response none = h.get("/api/revocations/events", "Accept", "text/event-stream");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(none.header("Content-Type")).startsWith("application/json");

        Http.Response wrong = h.get("/api/revocations/events", "Authorization", basic("feed-basic", "not-the-secret"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic");

        Http.Response scope = h.get("/api/revocations/events", "Authorization", noScope);
        assertThat(scope.status()).isEqualTo(403);
        assertThat(scope.json().get("error").asText()).isEqualTo("insufficient_scope");

        Http.Response pub = h.postForm("/api/revocations/events", Map.of("client_id", "spa"));
        assertThat(pub.status()).isEqualTo(401);
        assertThat(pub.json().get("error").asText()).isEqualTo("invalid_client");

        // a secret in a GET's query string is not looked at; a client_secret_post client posts a form
        assertThat(h.get("/api/revocations/events?client_id=feed-post&client_secret=" + postSecret).status()).isEqualTo(401);
        assertThat(h.get("/api/revocations/events", "Authorization", basic("feed-post", postSecret)).json().get("error").asText())
                .isEqualTo("invalid_client");     // not its registered method
        Http.Response bearer = h.get("/api/revocations", "Authorization", "Bearer " + ADMIN_KEY);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(h.get("/api/revocations", "Authorization", noScope).status()).isEqualTo(403);
        assertThat(h.get("/api/revocations?after=x", "Authorization", basic).json().get("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void streamsTheBacklogThenReadyThenEachCommittedRevocationAsItHappens() throws Exception {
        long start = head();
        try (SseProbe sse = SseProbe.open(feedUrl + "?after=" + start, "Authorization", basic)) {
            assertThat(sse.response.statusCode()).isEqualTo(200);
            assertThat(sse.response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            assertThat(sse.response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(sse.next(WAIT)).containsExactly("retry: 2000");
            List<String> ready = sse.next(WAIT);
            assertThat(ready).containsExactly("event: ready", "data: {\"next\":" + start + "}");

            String email = "feed-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            Http browser = new Http(ts.base);
            assertThat(browser.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a perfectly fine passphrase\"}")
                    .status()).isEqualTo(201);
            UUID user = ts.backend().users().findByEmail(EmailAddress.parse(email)).orElseThrow().id();
            assertThat(browser.post("/api/auth/logout", null, null, "X-CSRF", "1").status()).isEqualTo(204);   // ends its session
            ts.backend().accounts().setStatus(user, UserStatus.DISABLED, RequestContext.SYSTEM);

            List<String> session = sse.nextEvent(WAIT);
            assertThat(session).hasSize(3);
            assertThat(session.get(0)).startsWith("id: ");
            assertThat(session.get(1)).isEqualTo("event: revocation");
            assertThat(session.get(2)).startsWith("data: {\"seq\":");
            long sessionSeq = Long.parseLong(SseProbe.field(session, "id"));
            assertThat(sessionSeq).isGreaterThan(start);
            JsonNode s = Http.JSON.readTree(SseProbe.field(session, "data"));
            assertThat(s.get("seq").asLong()).isEqualTo(sessionSeq);
            assertThat(s.get("kind").asText()).isEqualTo("session");
            assertThat(s.get("user_id").asText()).isEqualTo(user.toString());
            assertThat(s.get("session_id").asText()).isNotBlank();
            assertThat(s.get("security_version").isNull()).isTrue();
            assertThat(s.has("at")).isTrue();

            List<String> disabled = sse.nextEvent(WAIT);
            JsonNode d = Http.JSON.readTree(SseProbe.field(disabled, "data"));
            assertThat(Long.parseLong(SseProbe.field(disabled, "id"))).isGreaterThan(sessionSeq).isEqualTo(d.get("seq").asLong())
                    .isEqualTo(head());
            assertThat(d.get("kind").asText()).isEqualTo("user_disabled");
            assertThat(d.get("user_id").asText()).isEqualTo(user.toString());
            assertThat(d.get("session_id").isNull()).isTrue();
            assertThat(d.get("security_version").asInt()).isEqualTo(2);
            assertThat(java.time.Instant.parse(d.get("at").asText())).isBefore(java.time.Instant.now().plusSeconds(1));
        }
    }

    @Test
    void resumesAfterLastEventIdWhichWinsOverTheAfterParameter() throws Exception {
        UUID a = newUser();
        UUID b = newUser();
        ts.backend().accounts().delete(a, RequestContext.SYSTEM);
        long afterA = head();
        ts.backend().accounts().delete(b, RequestContext.SYSTEM);
        long deletedB = head();
        try (SseProbe sse = SseProbe.open(feedUrl + "?after=0", "Authorization", basic, "Last-Event-ID", Long.toString(afterA))) {
            sse.next(WAIT);                            // retry
            List<String> first = sse.nextEvent(WAIT);
            assertThat(SseProbe.field(first, "id")).isEqualTo(Long.toString(deletedB));
            assertThat(SseProbe.field(first, "data")).contains("\"user_deleted\"", b.toString());
            assertThat(sse.nextEvent(WAIT)).containsExactly("event: ready", "data: {\"next\":" + deletedB + "}");
        }
        try (SseProbe sse = SseProbe.open(feedUrl, "Authorization", basic, "Last-Event-ID", "-1")) {
            assertThat(sse.response.statusCode()).isEqualTo(400);
        }
    }

    @Test
    void withoutAPositionReplaysTheLast15MinutesOnly() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        ts.backend().database().jdbc().update("INSERT INTO revocations (at, kind, user_id) VALUES (now() - interval '16 minutes', 'user_deleted', ?)", old);
        ts.backend().database().jdbc().update("INSERT INTO revocations (at, kind, user_id) VALUES (now() - interval '14 minutes', 'user_deleted', ?)", recent);
        long last = head();
        try (SseProbe sse = SseProbe.open(feedUrl, "Authorization", basic)) {
            List<String> data = new ArrayList<>();
            for (List<String> f = sse.next(WAIT); !f.contains("event: ready"); f = sse.next(WAIT)) {
                if (f.contains("event: revocation")) {
                    data.add(SseProbe.field(f, "data"));
                }
            }
            assertThat(String.join("\n", data)).contains(recent.toString()).doesNotContain(old.toString());
            assertThat(data.get(data.size() - 1)).contains("\"seq\":" + last + ",");
        }
        // the long poll replays the same window
        JsonNode polled = new Http(ts.base).get("/api/revocations", "Authorization", basic).json();
        assertThat(polled.toString()).contains(recent.toString()).doesNotContain(old.toString());
        assertThat(polled.get("next").asLong()).isEqualTo(last);
    }

    @Test
    void longPollAnswersAtOnceWithPendingEntriesOrWaitsForTheNextCommit() throws Exception {
        Http h = new Http(ts.base);
        long start = head();
        JsonNode empty = h.get("/api/revocations?after=" + start, "Authorization", basic).json();
        assertThat(empty.get("events")).isEmpty();
        assertThat(empty.get("next").asLong()).isEqualTo(start);

        UUID user = newUser();
        Thread.ofVirtual().start(() -> {
            sleep(500);
            ts.backend().accounts().delete(user, RequestContext.SYSTEM);
        });
        long t0 = System.nanoTime();
        Http.Response waited = h.postForm("/api/revocations?after=" + start + "&wait=20", Map.of("client_id", "feed-post", "client_secret", postSecret));
        assertThat(waited.status()).as(waited.body()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        JsonNode events = waited.json().get("events");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("kind").asText()).isEqualTo("user_deleted");
        assertThat(events.get(0).get("session_id").isNull()).isTrue();
        assertThat(waited.json().get("next").asLong()).isEqualTo(events.get(0).get("seq").asLong());
        assertThat(waited.header("Cache-Control")).isEqualTo("no-store");

        long t1 = System.nanoTime();
        JsonNode timedOut = h.get("/api/revocations?after=" + head() + "&wait=1", "Authorization", basic).json();
        assertThat(timedOut.get("events")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(h.get("/api/revocations?wait=31", "Authorization", basic).status()).isEqualTo(400);
    }

    /** A node of its own with small limits: pings, the connection bound and its release on disconnect, the maximum stream age. */
    @Test
    void pingsBoundsConnectionsAndFreesThemWhenConsumersLeave() throws Exception {
        JsonBodies bodies = new JsonBodies(64 * 1024);
        RevocationFeedEndpoint feed = new RevocationFeedEndpoint(new OAuthRequests(bodies), new OAuthResponses(bodies.mapper()),
                ts.backend().clientAuthenticator(), ts.backend().revocationLog(), ts.backend().revocations(), bodies.mapper(),
                Clock.systemUTC(), new SimpleMeterRegistry(),
                new RevocationFeedEndpoint.Limits(2, Duration.ofMillis(200), Duration.ofMinutes(15), Duration.ofSeconds(3), 4));
        HttpApp app = new HttpApp(new HttpApp.Listen("127.0.0.1", 0, 64 * 1024), new Problems(bodies.mapper()), new SecurityHeaders(false),
                new SimpleMeterRegistry(), List.of(feed)).start();
        String url = "http://127.0.0.1:" + app.port() + "/api/revocations/events?after=" + head();
        try {
            SseProbe one = SseProbe.open(url, "Authorization", basic);
            SseProbe two = SseProbe.open(url, "Authorization", basic);
            assertThat(two.next(WAIT)).containsExactly("retry: 2000");
            assertThat(two.next(WAIT)).startsWith("event: ready");
            assertThat(one.next(WAIT)).containsExactly("retry: 2000");
            assertThat(one.next(WAIT)).startsWith("event: ready");
            assertThat(one.next(WAIT)).containsExactly(": ping");
            assertThat(one.next(WAIT)).containsExactly(": ping");

            Http.Response three = new Http(ts.base).get(url, "Authorization", basic);
            assertThat(three.status()).isEqualTo(503);
            assertThat(three.header("Retry-After")).isEqualTo("5");
            assertThat(three.json().get("error").asText()).isEqualTo("temporarily_unavailable");
            // a burst larger than a stream's queue still arrives complete and in order (read back from the log)
            long before = head();
            UUID user = UUID.randomUUID();
            ts.backend().database().jdbc().inTransaction(c -> {
                for (int i = 0; i < 10; i++) {
                    dev.latchkey.store.sql.Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id, session_id) VALUES (now(), 'session', ?, ?)",
                            user, UUID.randomUUID());
                }
                return null;
            });
            ts.backend().revocations().drain();
            List<Long> ids = new ArrayList<>();
            while (ids.size() < 10) {
                ids.add(Long.parseLong(SseProbe.field(two.nextEvent(WAIT), "id")));
            }
            assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize(10);
            assertThat(ids.get(0)).isGreaterThan(before);
            assertThat(ids.get(9)).isEqualTo(head());

            one.close();                               // the server notices at its next ping and frees the permit
            long deadline = System.nanoTime() + WAIT.toNanos();
            int status;
            do {
                Thread.sleep(100);
                try (SseProbe again = SseProbe.open(url, "Authorization", basic)) {
                    status = again.response.statusCode();
                }
            } while (status == 503 && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(200);

            // after its maximum age the stream ends; the consumer reconnects with its last id
            List<String> f;
            do {
                f = two.next(WAIT);
            } while (!two.ended(f));
            two.close();

            // a node that shuts down ends its streams at once (consumers move to another node)
            try (SseProbe last = SseProbe.open(url, "Authorization", basic)) {
                assertThat(last.next(WAIT)).containsExactly("retry: 2000");
                long t0 = System.nanoTime();
                app.stop();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
                do {
                    f = last.next(WAIT);
                } while (!last.ended(f));
            }
        } finally {
            app.stop();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
