package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.latchkey.core.audit.AuditType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** No password, token or session id ever reaches a log line; request log lines carry the trace id. */
class LogHygieneTest {
    @Test
    void secretsNeverAppearInLogsAndRequestLinesCarryTheTraceId() {
        LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(lc);
        captured.start();
        root.addAppender(captured);
        // everything Latchkey logs, at its most verbose; third-party loggers stay at the level the
        // shipped configurations pin them to (Jetty's debug output echoes headers, and is never on)
        Logger ours = lc.getLogger("dev.latchkey");
        Logger audit = lc.getLogger("latchkey");
        Logger jetty = lc.getLogger("org.eclipse.jetty");
        ours.setLevel(ch.qos.logback.classic.Level.DEBUG);
        audit.setLevel(ch.qos.logback.classic.Level.DEBUG);
        jetty.setLevel(ch.qos.logback.classic.Level.WARN);
        List<String> secrets = new ArrayList<>();
        try (TestServer ts = TestServer.start()) {
            String password = "hunter2 but a much longer one " + UUID.randomUUID();
            secrets.add(password);
            String email = "log-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
            Http h = new Http(ts.base);
            Http.Response signup = h.postJson("/api/auth/signup", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
            secrets.add(signup.json().get("access_token").asText());
            secrets.add(h.cookies.get("__Secure-lk_refresh"));
            String old = h.cookies.get("__Secure-lk_refresh");
            Http.Response refreshed = h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
            secrets.add(refreshed.json().get("access_token").asText());
            secrets.add(h.cookies.get("__Secure-lk_refresh"));
            h.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong " + password + "\"}",
                    "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
            // a reuse is logged (warn) and audited — still without the token
            h.cookies.put("__Secure-lk_refresh", old);
            h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
            h.post("/api/auth/refresh", null, null, "X-CSRF", "1");
            Http.Response login = new Http(ts.base).postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
            secrets.add(login.json().get("access_token").asText());
            Http pages = new Http(ts.base);
            pages.get("/login");
            secrets.add(pages.cookies.get("__Host-lk_csrf"));
            assertThat(ts.backend().audit().recent(null, AuditType.LOGIN_SUCCESS, 10)).isNotEmpty();
        } finally {
            root.detachAppender(captured);
            ours.setLevel(null);
            audit.setLevel(null);
            jetty.setLevel(null);
        }
        assertThat(captured.list).isNotEmpty();
        for (ILoggingEvent e : captured.list) {
            String text = e.getFormattedMessage() + " " + e.getKeyValuePairs() + " " + e.getMDCPropertyMap()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
            for (String s : secrets) {
                assertThat(text).as("log line: " + e.getFormattedMessage()).doesNotContain(s);
            }
        }
        assertThat(captured.list).filteredOn(e -> e.getLoggerName().equals("latchkey.audit") && e.getFormattedMessage().contains("login_failure"))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("trace_id", "0af7651916cd43dd8448eb211c80319c"));
        assertThat(captured.list).filteredOn(e -> e.getLoggerName().equals("latchkey.audit"))
                .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey("trace_id"));
    }
}
