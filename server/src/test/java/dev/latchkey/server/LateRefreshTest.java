package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.session.SessionService;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A late duplicate of a first-party refresh never logs the user out (issue 9, §1), over real HTTP on
 * one node and on two nodes sharing one PostgreSQL: a refresh is held back in transit, the client
 * retries it at once and refreshes twice more, then the held one reaches the server. And the
 * refresh cookie is cleared only when the session is really over.
 */
class LateRefreshTest {
    static final String COOKIE = "__Secure-lk_refresh";
    // a generous window: on a loaded machine the rotations before the release may take seconds
    static final Map<String, String> ENV = Map.of("LATCHKEY_TOKENS_REFRESH_GRACE", "60s");
    static TestServer a;
    static TestServer b;

    @BeforeAll
    static void start() {
        a = TestServer.start(ENV);
        b = TestServer.secondNode(a, ENV);
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    static Http signedUp(TestServer on) {
        Http h = new Http(on.base);
        String email = "late-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Http.Response r = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"a late refresh passphrase\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return h;
    }

    /** A refresh from the "browser" {@code h} (its cookie jar) on the node at {@code base}. */
    static Http.Response refresh(Http h, String base) {
        return h.post(base + "/api/auth/refresh", null, null, "X-CSRF", "1");
    }

    static HeldRequest heldRefresh(String base, String token, String... more) {
        String[] headers = new String[4 + more.length];
        headers[0] = "X-CSRF";
        headers[1] = "1";
        headers[2] = "Cookie";
        headers[3] = COOKIE + "=" + token;
        System.arraycopy(more, 0, headers, 4, more.length);
        return HeldRequest.post(base, "/api/auth/refresh", headers);
    }

    static UUID userOf(Http h, String base) {
        String at = refresh(h, base).json().get("access_token").asText();
        return UUID.fromString(new Http(base).get("/api/auth/me", "Authorization", "Bearer " + at).json().get("id").asText());
    }

    static UUID familyOf(String token) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token));
        return new UUID(b.getLong(), b.getLong());
    }

    /** Runs the sequence: the held request on {@code late}, the retry and two more refreshes on {@code nodes} in turn. */
    static void lateDuplicateIsStaleAndHarmless(TestServer late, TestServer... nodes) {
        Http h = signedUp(nodes[0]);
        String t0 = h.cookies.get(COOKIE);
        try (HeldRequest held = heldRefresh(late.base, t0)) {
            // the client's connection dropped; it retried at once with the same token, then refreshed twice more
            for (int i = 0; i < 3; i++) {
                Http.Response r = refresh(h, nodes[i % nodes.length].base);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
            String newest = h.cookies.get(COOKIE);
            Http.Response answer = held.release();

            assertThat(answer.status()).as(answer.body()).isEqualTo(409);
            assertThat(answer.code()).isEqualTo("refresh_token_stale");
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            // the late answer neither sets nor clears the cookie: the browser keeps the newer one it has
            assertThat(answer.headers("Set-Cookie")).isEmpty();

            // the session lives on, on every node, from the newest token
            assertThat(h.cookies.get(COOKIE)).isEqualTo(newest);
            for (TestServer n : nodes) {
                Http.Response next = refresh(h, n.base);
                assertThat(next.status()).as(next.body()).isEqualTo(200);
            }
            Http.Response onLate = refresh(h, late.base);
            assertThat(onLate.status()).as(onLate.body()).isEqualTo(200);
        }
        assertThat(a.backend().audit().recent(userOf(h, late.base), AuditType.REFRESH_TOKEN_REUSE, 10)).isEmpty();
    }

    @Test
    void aLateDuplicateOnOneNodeIsRefusedAsStaleAndTheSessionContinues() {
        lateDuplicateIsStaleAndHarmless(a, a);
    }

    @Test
    void aLateDuplicateOnAnotherNodeIsRefusedAsStaleAndTheSessionContinues() {
        lateDuplicateIsStaleAndHarmless(b, a, b);
        lateDuplicateIsStaleAndHarmless(a, b);
    }

    @Test
    void theRefusalIsLoggedAtInfoWithTheTraceIdAndTheFamilyButNotTheToken() {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger log = lc.getLogger(SessionService.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(lc);
        captured.start();
        log.addAppender(captured);
        Level before = log.getLevel();
        log.setLevel(Level.INFO);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Http h = signedUp(a);
        String t0 = h.cookies.get(COOKIE);
        try (HeldRequest held = heldRefresh(a.base, t0, "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")) {
            refresh(h, a.base);
            refresh(h, a.base);
            assertThat(held.release().status()).isEqualTo(409);
        } finally {
            log.detachAppender(captured);
            log.setLevel(before);
        }
        assertThat(captured.list).filteredOn(e -> e.getFormattedMessage().contains("stale"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getLevel()).isEqualTo(Level.INFO);
                    assertThat(e.getFormattedMessage()).contains(traceId, familyOf(t0).toString()).doesNotContain(t0);
                    assertThat(e.getMDCPropertyMap()).containsEntry("trace_id", traceId);
                });
    }

    @Test
    void aServerSideFailureLeavesTheCookieAloneAndTheSessionSurvivesIt() throws Exception {
        Http h = signedUp(a);
        String token = h.cookies.get(COOKIE);
        try (Connection c = a.db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE refresh_families RENAME TO refresh_families_away");
            Http.Response failed;
            try {
                failed = refresh(h, a.base);
            } finally {
                st.execute("ALTER TABLE refresh_families_away RENAME TO refresh_families");
            }
            assertThat(failed.status()).as(failed.body()).isGreaterThanOrEqualTo(500);
            assertThat(failed.headers("Set-Cookie")).isEmpty();
        }
        assertThat(h.cookies.get(COOKIE)).isEqualTo(token);
        Http.Response retried = refresh(h, a.base);
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    }

    @Test
    void aSessionThatIsOverClearsTheCookie() {
        Http h = signedUp(a);
        String at = refresh(h, a.base).json().get("access_token").asText();
        String sid = new Http(a.base).get("/api/auth/me", "Authorization", "Bearer " + at).json().get("session_id").asText();
        assertThat(new Http(b.base).delete("/api/auth/sessions/" + sid, "Authorization", "Bearer " + at).status()).isEqualTo(204);
        Http.Response refused = refresh(h, a.base);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("session_revoked");
        assertThat(refused.headers("Set-Cookie")).anyMatch(c -> c.startsWith(COOKIE + "=;") && c.contains("Max-Age=0"));
    }

    @Test
    void aReplayAfterTheWindowIsStillAReuseThatEndsTheSessionAndClearsTheCookie() {
        try (TestServer strict = TestServer.start(Map.of("LATCHKEY_TOKENS_REFRESH_GRACE", "0s"))) {
            Http h = signedUp(strict);
            String t0 = h.cookies.get(COOKIE);
            assertThat(refresh(h, strict.base).status()).isEqualTo(200);
            try (HeldRequest held = heldRefresh(strict.base, t0)) {
                Http.Response reuse = held.release();
                assertThat(reuse.status()).isEqualTo(401);
                assertThat(reuse.code()).isEqualTo("refresh_token_reused");
                assertThat(reuse.headers("Set-Cookie")).anyMatch(c -> c.startsWith(COOKIE + "=;") && c.contains("Max-Age=0"));
            }
            Http.Response after = refresh(h, strict.base);
            assertThat(after.code()).isEqualTo("session_revoked");
            assertThat(strict.backend().audit().recent(null, AuditType.REFRESH_TOKEN_REUSE, 10)).hasSize(1);
        }
    }
}
