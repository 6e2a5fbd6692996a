package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.server.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Single use under concurrency, secrets at rest and in logs, and bad input that must never be a 500. */
class AtomicityAndHygieneTest {
    static GatewayFixture f;
    static String email;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
        email = f.newUser();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aCallbackRacedByManyRequestsCreatesExactlyOneSession() throws Exception {
        GatewayFixture.Browser b = f.new Browser();
        String callback = b.authorizeAndSignIn(email, "/");
        String flowName = "__Host-lk-flow-" + OidcQuery.state(callback).substring(0, 16);
        String flow = b.gw.cookies.get(flowName);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Http.Response>> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 12; i++) {
                Http h = new Http(f.publicUrl);
                h.cookies.put(flowName, flow);
                out.add(pool.submit(() -> {
                    go.await();
                    return h.get(callback);
                }));
            }
            go.countDown();
            int created = 0;
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> r : out) {
                responses.add(r.get());
            }
            for (Http.Response resp : responses) {
                assertThat(resp.status()).isIn(303, 400);
                if (resp.status() == 303) {
                    created++;
                    assertThat(resp.headers("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session=") && !c.contains("Max-Age=0"));
                }
            }
            assertThat(created).isEqualTo(1);
        }
    }

    @Test
    void tokensAreSealedAtRestAndNeitherTokensNorCookiesAppearInLogs() throws Exception {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Logger ours = lc.getLogger("dev.latchkey");
        ch.qos.logback.classic.Level oursBefore = ours.getLevel();
        ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
        GatewayFixture.Browser b = f.new Browser();
        String callback;
        try {
            callback = b.authorizeAndSignIn(email, "/");
            assertThat(b.gw.get(callback).status()).isEqualTo(303);
            Http.Response api = b.gw.get("/api/notes");
            String bearer = api.json().get("headers").get("authorization").asText().substring(7);
            f.clock.advance(java.time.Duration.ofMinutes(5));
            assertThat(b.gw.get("/api/notes").status()).isEqualTo(200);
            b.gw.get(callback);                                   // a replay, logged as refused
            var session = f.nodes.get(0).sessions().find(new dev.latchkey.gateway.session.SessionIds(f.sessionKey).hash(b.session())).orElseThrow();
            List<String> secrets = List.of(b.session(), bearer, session.tokens().accessToken(), session.tokens().refreshToken().orElseThrow(),
                    session.tokens().idToken(), OidcQuery.code(callback), OidcQuery.state(callback), f.clientSecret);
            root.detachAppender(logs);
            Thread.sleep(200);                                    // let in-flight log calls of other threads land
            for (ILoggingEvent e : List.copyOf(logs.list)) {
                String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
                for (String s : secrets) {
                    assertThat(line).as("log line " + line).doesNotContain(s);
                }
            }
            // at rest: the row holds neither the cookie value nor any token
            try (Connection c = java.sql.DriverManager.getConnection(f.gatewayDb.jdbcUrl());
                 ResultSet rs = c.createStatement().executeQuery("SELECT * FROM gateway_sessions")) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        Object v = rs.getObject(i);
                        String text = v instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(v);
                        for (String s : secrets) {
                            assertThat(text).doesNotContain(s);
                        }
                    }
                }
            }
        } finally {
            root.detachAppender(logs);
            ours.setLevel(oursBefore);
        }
    }

    @Test
    void badInputIsA4xxNeverA500() {
        GatewayFixture.Browser b = f.new Browser();
        assertThat(b.signIn(email, "/").status()).isEqualTo(303);
        for (String path : List.of("/api/notes/../../admin", "/api/notes/%2e%2e/x", "/dashboard/./x", "/a/..")) {
            Http.Response r = b.gw.send(HttpRequest.newBuilder(URI.create(f.publicUrl + path)).GET()
                    .header("Cookie", "__Host-lk-session=" + b.session()));
            assertThat(r.status()).as(path).isBetween(400, 499);
        }
        Http anon = new Http(f.publicUrl);
        assertThat(anon.get("/auth/callback").status()).isEqualTo(400);
        assertThat(anon.get("/auth/callback?state=" + "x".repeat(5000)).status()).isEqualTo(400);
        assertThat(anon.get("/auth/login?returnTo=%25ZZ%E0").status()).isEqualTo(303);
        Http junk = new Http(f.publicUrl);
        junk.cookies.put("__Host-lk-session", "%%%\u00ff");
        assertThat(junk.get("/auth/me").status()).isEqualTo(401);
        junk.cookies.put("__Host-lk-flow-abcdefghijklmnop", "x");
        assertThat(junk.get("/auth/callback?state=abcdefghijklmnopqrstu&code=def&iss=x").status()).isEqualTo(400);
        assertThat(anon.post("/auth/logout", null, null, "X-CSRF", "1").status()).isEqualTo(401);
        assertThat(anon.get("/auth/verify").status()).isEqualTo(401);
    }

    /** Parameters of a callback URL. */
    static final class OidcQuery {
        static String code(String url) {
            return dev.latchkey.server.oidc.OidcFixture.query(url).get("code");
        }

        static String state(String url) {
            return dev.latchkey.server.oidc.OidcFixture.query(url).get("state");
        }
    }
}
