package dev.latchkey.sdk.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.sdk.CurrentPrincipal;
import dev.latchkey.sdk.HttpProbe;
import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import dev.latchkey.sdk.http.Guard;
import dev.latchkey.sdk.http.TraceContext;
import dev.latchkey.sdk.token.TokenVerifier;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The filter in a real Jetty 12 servlet container on 127.0.0.1, driven by the JDK HTTP client. */
class LatchkeyFilterTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private static TestIssuer issuer;
    private static Server server;
    private static HttpProbe http;

    /** Echoes what a handler sees: the request's principal, the thread's principal, the MDC trace id. */
    static final class Echo extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setContentType("text/plain");
            res.getWriter().print("sub=" + LatchkeyFilter.principal(req).map(t -> t.subject()).orElse("-")
                    + ";thread=" + CurrentPrincipal.get().map(t -> t.subject()).orElse("-")
                    + ";trace=" + MDC.get(TraceContext.MDC_KEY));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer(clock);
        TokenVerifier verifier = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build();
        server = new Server(new QueuedThreadPool(8, 2));
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(LatchkeyFilter.builder(verifier).realm("notes").build()), "/*", requests);
        context.addFilter(new FilterHolder(LatchkeyFilter.builder(verifier).realm("notes")
                .require(Guard.requireScope("notes:read")).build()), "/notes/*", requests);
        context.addFilter(new FilterHolder(LatchkeyFilter.builder(verifier).realm("notes")
                .require(Guard.requireScope("notes:read", "notes:admin")).build()), "/notes/admin/*", requests);
        context.addFilter(new FilterHolder(LatchkeyFilter.builder(verifier).realm("notes")
                .require(Guard.requireRole("admin")).build()), "/admin/*", requests);
        context.addFilter(new FilterHolder(LatchkeyFilter.builder(verifier).realm("notes")
                .require(Guard.requirePermission("notes.export")).build()), "/export/*", requests);
        context.addFilter(new FilterHolder(LatchkeyFilter.builder(verifier).realm("notes")
                .require(Guard.requireOwnership((HttpServletRequest r) -> r.getRequestURI().substring("/users/".length()))).build()), "/users/*", requests);
        context.addServlet(new ServletHolder(new Echo()), "/*");
        server.setHandler(context);
        server.start();
        http = new HttpProbe("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        issuer.close();
    }

    private static Map<String, Object> problem(HttpResponse<String> res) throws Exception {
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        return JSONObjectUtils.parse(res.body());
    }

    @Test
    void theVerifiedPrincipalReachesTheHandlerAndTheThread() {
        HttpResponse<String> res = http.getWithBearer("/notes/1", issuer.token(), "traceparent", TRACEPARENT);

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("sub=0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c;thread=0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c"
                + ";trace=4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void noTokenOnAGuardedRouteIs401WithAChallengeWithoutErrorCode() throws Exception {
        HttpResponse<String> res = http.get("/notes/1");

        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"notes\"");
        assertThat(problem(res)).containsEntry("status", 401L).containsEntry("title", "Unauthorized");
    }

    @Test
    void anInvalidTokenIs401InvalidToken() throws Exception {
        String expired = issuer.token(c -> c.expirationTime(Date.from(clock.instant().minus(Duration.ofMinutes(2)))));

        HttpResponse<String> res = http.getWithBearer("/notes/1", expired);

        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"notes\", error=\"invalid_token\", error_description=\"The access token expired\"");
        assertThat(problem(res)).containsEntry("detail", "The access token expired");
        assertThat(res.body()).doesNotContain(expired.split("\\.")[1]);
    }

    @Test
    void aMissingScopeIs403InsufficientScopeNamingTheScopes() throws Exception {
        HttpResponse<String> res = http.getWithBearer("/notes/admin/x", issuer.token());

        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"notes\", error=\"insufficient_scope\", "
                + "error_description=\"The access token lacks a required scope\", scope=\"notes:admin notes:read\"");
        assertThat(problem(res)).containsEntry("status", 403L);
    }

    @Test
    void roleAndPermissionGuardsAre403Problems() throws Exception {
        HttpResponse<String> noRole = http.getWithBearer("/admin/x", issuer.token());
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(noRole.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(problem(noRole)).containsEntry("title", "Forbidden");

        assertThat(http.getWithBearer("/admin/x", issuer.token(c -> c.claim("roles", List.of("admin")))).statusCode()).isEqualTo(200);
        assertThat(http.getWithBearer("/export/x", issuer.token()).statusCode()).isEqualTo(200);
        assertThat(http.getWithBearer("/export/x", issuer.token(c -> c.claim("permissions", List.of()))).statusCode()).isEqualTo(403);
    }

    @Test
    void ownershipComparesTheResourceOwnerWithSub() {
        String token = issuer.token();
        assertThat(http.getWithBearer("/users/0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c", token).statusCode()).isEqualTo(200);
        assertThat(http.getWithBearer("/users/0190f2a4-7b1c-7cc2-9a57-000000000bbb", token).statusCode()).isEqualTo(403);
    }

    @Test
    void tokensAreAcceptedOnlyFromOneAuthorizationHeader() throws Exception {
        String token = issuer.token();
        HttpResponse<String> inQuery = http.get("/notes/1?access_token=" + token);
        assertThat(inQuery.statusCode()).isEqualTo(400);
        assertThat(inQuery.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_request\""));

        HttpResponse<String> twice = http.get("/notes/1", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token);
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(problem(twice)).containsEntry("detail", "The request has more than one Authorization header");
    }

    @Test
    void publicRoutesStayReachableWithoutOrWithABadToken() {
        assertThat(http.get("/public").body()).startsWith("sub=-;thread=-");
        assertThat(http.getWithBearer("/public", "garbage.token.here").statusCode()).isEqualTo(200);
        assertThat(http.getWithBearer("/public", issuer.token()).body()).startsWith("sub=0190f2a4");
    }

    @Test
    void nothingLeaksIntoTheNextRequestOnAPooledThread() {
        String token = issuer.token();
        for (int i = 0; i < 60; i++) {
            if (i % 2 == 0) {
                assertThat(http.getWithBearer("/public", token, "traceparent", TRACEPARENT).body()).contains("thread=0190f2a4");
            } else {
                assertThat(http.get("/public").body()).isEqualTo("sub=-;thread=-;trace=null");
            }
        }
    }
}
