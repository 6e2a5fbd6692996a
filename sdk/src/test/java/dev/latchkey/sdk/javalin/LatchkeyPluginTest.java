package dev.latchkey.sdk.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.sdk.CurrentPrincipal;
import dev.latchkey.sdk.HttpProbe;
import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import dev.latchkey.sdk.http.TraceContext;
import dev.latchkey.sdk.token.TokenVerifier;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The plugin in a real Javalin 7 server on 127.0.0.1, driven by the JDK HTTP client. */
class LatchkeyPluginTest {
    private static final String ALICE = "0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private static final AtomicInteger guardedHandlerRuns = new AtomicInteger();
    private static TestIssuer issuer;
    private static Javalin app;
    private static HttpProbe http;

    @BeforeAll
    static void start() {
        issuer = new TestIssuer(clock);
        TokenVerifier verifier = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build();
        Map<String, String> noteOwners = Map.of("n1", ALICE, "n2", "0190f2a4-7b1c-7cc2-9a57-000000000bbb");
        app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.registerPlugin(new LatchkeyPlugin(c -> {
                c.verifier = verifier;
                c.realm = "notes";
            }));
            config.routes.get("/public", ctx -> ctx.result("sub=" + LatchkeyPlugin.principal(ctx).map(t -> t.subject()).orElse("-")
                    + ";thread=" + CurrentPrincipal.get().map(t -> t.subject()).orElse("-")));
            config.routes.get("/me", ctx -> ctx.result("sub=" + LatchkeyPlugin.requirePrincipal(ctx).subject()
                    + ";thread=" + CurrentPrincipal.get().orElseThrow().subject()
                    + ";trace=" + MDC.get(TraceContext.MDC_KEY)), Require.auth());
            config.routes.get("/admin/notes", ctx -> {
                guardedHandlerRuns.incrementAndGet();
                ctx.result("all");
            }, Require.scope("notes:read"), Require.role("admin"));
            config.routes.get("/notes/{id}", ctx -> ctx.result("note " + ctx.pathParam("id")),
                    Require.scope("notes:read"), Require.ownership(ctx -> noteOwners.get(ctx.pathParam("id"))));
            config.routes.get("/my/profile", ctx -> ctx.result("user " + LatchkeyPlugin.requirePrincipal(ctx).userId().orElseThrow()),
                    Require.user());
            config.routes.get("/jobs", ctx -> ctx.result("job " + LatchkeyPlugin.requirePrincipal(ctx).subject()), Require.client());
        }).start(0);
        http = new HttpProbe("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        app.stop();
        issuer.close();
    }

    @Test
    void thePrincipalAndTraceIdReachTheHandler() {
        HttpResponse<String> res = http.getWithBearer("/me", issuer.token(), "traceparent", TRACEPARENT);

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("sub=" + ALICE + ";thread=" + ALICE + ";trace=4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void noTokenIs401AndTheHandlerDoesNotRun() throws Exception {
        int before = guardedHandlerRuns.get();
        HttpResponse<String> res = http.get("/admin/notes");

        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"notes\"");
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(JSONObjectUtils.parse(res.body())).containsEntry("status", 401L);
        assertThat(guardedHandlerRuns.get()).isEqualTo(before);
    }

    @Test
    void aBadTokenIs401InvalidToken() {
        HttpResponse<String> res = http.getWithBearer("/me", issuer.token(c -> c.issuer("https://evil.example")));

        assertThat(res.statusCode()).isEqualTo(401);
        assertThat(res.headers().firstValue("WWW-Authenticate")).contains(
                "Bearer realm=\"notes\", error=\"invalid_token\", error_description=\"The access token was issued by another issuer\"");
    }

    @Test
    void aMissingScopeIs403InsufficientScope() {
        HttpResponse<String> res = http.getWithBearer("/admin/notes", issuer.token(c -> c.claim("scope", "openid")));

        assertThat(res.statusCode()).isEqualTo(403);
        assertThat(res.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v ->
                assertThat(v).contains("error=\"insufficient_scope\"").endsWith("scope=\"notes:read\""));
    }

    @Test
    void aMissingRoleIs403AndTheRoleGrantsAccess() {
        int before = guardedHandlerRuns.get();
        assertThat(http.getWithBearer("/admin/notes", issuer.token()).statusCode()).isEqualTo(403);
        assertThat(guardedHandlerRuns.get()).isEqualTo(before);

        HttpResponse<String> admin = http.getWithBearer("/admin/notes", issuer.token(c -> c.claim("roles", List.of("admin"))));
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).isEqualTo("all");
    }

    @Test
    void ownershipUsesTheRoutesResolver() {
        String token = issuer.token();
        assertThat(http.getWithBearer("/notes/n1", token).body()).isEqualTo("note n1");
        assertThat(http.getWithBearer("/notes/n2", token).statusCode()).isEqualTo(403);
        assertThat(http.getWithBearer("/notes/missing", token).statusCode()).isEqualTo(403);
    }

    @Test
    void publicRoutesIgnoreBadTokensAndNothingLeaksBetweenRequests() {
        String token = issuer.token();
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> res = i % 2 == 0 ? http.getWithBearer("/public", token) : http.getWithBearer("/public", "bad.token.x");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).isEqualTo(i % 2 == 0 ? "sub=" + ALICE + ";thread=" + ALICE : "sub=-;thread=-");
        }
    }

    /** A client's own token as the server issues it: sub = client_id, sub_type client, no sid, ver, org or roles. */
    static String clientToken(String clientId, java.util.function.Consumer<com.nimbusds.jwt.JWTClaimsSet.Builder> edit) {
        return issuer.token(c -> {
            c.subject(clientId).claim("client_id", clientId).claim("sub_type", "client").claim("sid", null).claim("ver", null)
                    .claim("org", null).claim("roles", null).claim("permissions", null);
            edit.accept(c);
        });
    }

    @Test
    void aClientsOwnTokenAuthenticatesButNeverAsAUser() {
        String machine = clientToken("reporting", c -> { });
        assertThat(http.getWithBearer("/me", machine).body()).startsWith("sub=reporting;thread=reporting");
        assertThat(http.getWithBearer("/jobs", machine).body()).isEqualTo("job reporting");
        HttpResponse<String> refused = http.getWithBearer("/my/profile", machine);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));

        assertThat(http.getWithBearer("/my/profile", issuer.token()).body()).isEqualTo("user " + ALICE);
        assertThat(http.getWithBearer("/jobs", issuer.token()).statusCode()).isEqualTo(403);
    }

    @Test
    void aClientsOwnTokenPassesNoRoleOrOwnershipGuardWhateverItCarries() {
        int before = guardedHandlerRuns.get();
        // roles and an org in a machine token, and a sub that is a user's id (an old server, a client registered under it)
        String machine = clientToken(ALICE, c -> c.claim("roles", List.of("admin")).claim("org", "0190f2a4-0000-7000-8000-00000000a11c"));
        assertThat(http.getWithBearer("/admin/notes", machine).statusCode()).isEqualTo(403);
        assertThat(http.getWithBearer("/notes/n1", machine).statusCode()).isEqualTo(403);
        assertThat(http.getWithBearer("/my/profile", machine).statusCode()).isEqualTo(403);
        // a token without a session is no user's either, even without sub_type
        String sessionless = issuer.token(c -> c.claim("sid", null).claim("roles", List.of("admin")));
        assertThat(http.getWithBearer("/admin/notes", sessionless).statusCode()).isEqualTo(403);
        assertThat(http.getWithBearer("/notes/n1", sessionless).statusCode()).isEqualTo(403);
        assertThat(guardedHandlerRuns.get()).isEqualTo(before);
        // control: the user herself
        assertThat(http.getWithBearer("/notes/n1", issuer.token()).statusCode()).isEqualTo(200);
        assertThat(http.getWithBearer("/admin/notes", issuer.token(c -> c.claim("roles", List.of("admin")))).statusCode()).isEqualTo(200);
    }
}
