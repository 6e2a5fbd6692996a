package dev.latchkey.gateway.http;

import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import dev.latchkey.gateway.assertion.AssertionSigner;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.proxy.ReverseProxy;
import dev.latchkey.gateway.session.GatewaySession;
import dev.latchkey.gateway.session.Resolution;
import dev.latchkey.gateway.session.SessionService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The gateway's HTTP server (Javalin on Jetty, virtual threads): {@code /auth/*} endpoints, {@code /health/live} and
 * {@code /health/ready}, then every other path
 * routed by prefix to an API upstream (Bearer relay) or to the frontend (assertion header). Every request gets a
 * trace (MDC {@code trace_id}); state-changing requests pass the CSRF check first; failures are problem documents.
 */
public final class GatewayApp {
    public static final String TRACE = "latchkey.gateway.trace";
    /** How long {@link #stop()} waits for requests in flight before it closes their connections. */
    public static final Duration DRAIN = Duration.ofSeconds(20);
    private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE, HandlerType.HEAD, HandlerType.OPTIONS);

    private final Javalin javalin;
    private final GatewayConfig.Routing routing;
    private final AuthEndpoints auth;
    private final SessionService sessions;
    private final AssertionSigner assertions;
    private final ReverseProxy proxy;
    private final Csrf csrf;
    private final dev.latchkey.gateway.proxy.ApiKeyRelay apiKeys;

    public GatewayApp(GatewayConfig.Http http, GatewayConfig.Routing routing, AuthEndpoints auth, SessionService sessions,
                      AssertionSigner assertions, ReverseProxy proxy, Health health) {
        this(http, routing, auth, sessions, assertions, proxy, health, null);
    }

    /** @param apiKeys relays API keys to API routes (docs/gateway.md); null: API keys are not accepted */
    public GatewayApp(GatewayConfig.Http http, GatewayConfig.Routing routing, AuthEndpoints auth, SessionService sessions,
                      AssertionSigner assertions, ReverseProxy proxy, Health health, dev.latchkey.gateway.proxy.ApiKeyRelay apiKeys) {
        this.apiKeys = apiKeys;
        this.routing = routing;
        this.auth = auth;
        this.sessions = sessions;
        this.assertions = assertions;
        this.proxy = proxy;
        this.csrf = new Csrf(http.origin());
        this.javalin = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = http.host();
            config.jetty.port = http.port();
            config.http.generateEtags = false;
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = 64 * 1024;
            config.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                h.setSendXPoweredBy(false);
                h.setRequestHeaderSize(16 * 1024);
            });
            config.jetty.modifyServer(server -> {
                // what Jetty refuses before routing (bad URI, 414, 431, 505) is a problem document too, not Jetty's HTML page
                server.setErrorHandler(new ProtocolErrors());
                // stop() drains: no new connections, requests in flight (proxied ones too) finish, for at most DRAIN
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(DRAIN.toMillis());
            });
            config.routes.before(ctx -> {
                Trace t = Trace.continueOrStart(ctx.header("traceparent"));
                ctx.attribute(TRACE, t);
                MDC.put("trace_id", t.traceId());
                MDC.put("span_id", t.spanId());
                ctx.header("X-Trace-Id", t.traceId());
                ctx.header("traceresponse", t.traceparent());     // W3C Trace Context Level 2 §3.1
            });
            config.routes.after(ctx -> {
                MDC.remove("trace_id");
                MDC.remove("span_id");
            });
            config.routes.exception(GatewayException.class, (e, ctx) -> {
                if (e.error().status() >= 500) {
                    LOG.warn("{} {} -> {}: {}", ctx.method(), ctx.path(), e.error().wireName(), e.getMessage());
                }
                Problems.write(ctx, e.error());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
                Problems.write(ctx, GatewayError.INTERNAL);
            });

            config.routes.get("/auth/login", auth::login);
            config.routes.get("/auth/callback", auth::callback);
            config.routes.post("/auth/logout", this::logout);
            config.routes.post("/auth/org", ctx -> {
                if (!csrf.allows(ctx)) {
                    Problems.write(ctx, GatewayError.CSRF_FAILED);
                    return;
                }
                auth.switchOrganization(ctx, resolve(ctx));
            });
            config.routes.get("/auth/me", ctx -> auth.me(ctx, resolve(ctx)));
            config.routes.get("/auth/orgs", ctx -> auth.organizations(ctx, resolve(ctx)));
            config.routes.get("/auth/jwks.json", auth::jwks);
            // the gateway's own, never proxied (exactly these two paths; anything else under /health/ is)
            config.routes.get("/health/live", health::live);
            config.routes.get("/health/ready", health::ready);
            for (HandlerType m : METHODS) {
                config.routes.addHttpHandler(m, "/auth/verify", ctx -> auth.verify(ctx, resolve(ctx)));
            }
            for (HandlerType m : METHODS) {
                config.routes.addHttpHandler(m, "/auth/*", ctx -> Problems.write(ctx, GatewayError.NOT_FOUND));
                config.routes.addHttpHandler(m, "/", this::route);
                config.routes.addHttpHandler(m, "/*", this::route);
            }
        });
    }

    public GatewayApp start() {
        javalin.start();
        return this;
    }

    public int port() {
        return javalin.port();
    }

    /** Stops accepting connections, lets the requests in flight finish (at most {@link #DRAIN}), then stops. */
    public void stop() {
        javalin.stop();
    }

    private void logout(Context ctx) {
        if (!csrf.allows(ctx)) {
            Problems.write(ctx, GatewayError.CSRF_FAILED);
            return;
        }
        auth.logout(ctx);
    }

    /** Resolves the session cookie; an ended session's cookie is cleared on the response. */
    private Resolution resolve(Context ctx) {
        Resolution r = sessions.resolve(Cookies.read(ctx, Cookies.SESSION));
        if (r instanceof Resolution.Ended) {
            Cookies.clear(ctx, Cookies.SESSION);
        }
        return r;
    }

    private void route(Context ctx) throws Exception {
        if (proxy.refusedAsTooLarge(ctx)) {
            return;                                   // before any session work; the body is never forwarded
        }
        if (apiKeys != null && relayedApiKey(ctx)) {
            return;
        }
        if (!csrf.allows(ctx)) {
            Problems.write(ctx, GatewayError.CSRF_FAILED);
            return;
        }
        String path = ctx.path();
        if (hasDotSegments(ctx.req().getRequestURI())) {
            // RFC 3986 §5.2.4: an upstream would resolve these itself, and could then see another route's path
            Problems.write(ctx, GatewayError.MALFORMED_REQUEST);
            return;
        }
        Trace trace = ctx.attribute(TRACE);
        Optional<GatewayConfig.Route> api = routing.api().stream().filter(r -> r.matches(path)).findFirst();
        if (api.isPresent()) {
            Resolution r = resolve(ctx);
            if (!(r instanceof Resolution.Active active)) {
                Problems.write(ctx, r instanceof Resolution.Ended ? GatewayError.SESSION_EXPIRED : GatewayError.UNAUTHENTICATED);
                return;
            }
            GatewaySession[] used = {active.session()};
            proxy.forward(ctx, api.get().upstream(), true, trace.traceparent(), bearer(used[0]), () -> {
                Optional<GatewaySession> next = sessions.refreshAfterRejection(used[0]);
                if (next.isEmpty()) {
                    Cookies.clear(ctx, Cookies.SESSION);
                }
                return next.map(s -> {
                    used[0] = s;
                    return bearer(s);
                });
            });
            return;
        }
        if (routing.frontend().isEmpty()) {
            Problems.write(ctx, GatewayError.NOT_FOUND);
            return;
        }
        Resolution r = resolve(ctx);
        boolean isProtected = routing.protectedPaths().stream().anyMatch(p -> path.equals(p) || path.startsWith(p.equals("/") ? p : p + "/"));
        if (isProtected && !(r instanceof Resolution.Active)) {
            String q = ctx.req().getQueryString();
            String back = ctx.req().getRequestURI() + (q == null ? "" : "?" + q);
            ctx.header("Cache-Control", "no-store");
            ctx.redirect("/auth/login?returnTo=" + URLEncoder.encode(back, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
            return;
        }
        ReverseProxy.Identity id = r instanceof Resolution.Active a
                ? new ReverseProxy.Identity(Optional.empty(), Optional.of(assertions.sign(a.session().user())))
                : ReverseProxy.Identity.NONE;
        URI frontend = routing.frontend().get();
        proxy.forward(ctx, frontend, false, trace.traceparent(), id, Optional::empty);
    }

    /** An API key on a request to an API route: exchanged and relayed as Bearer (no cookie, so no CSRF check); true when handled. */
    private boolean relayedApiKey(Context ctx) throws Exception {
        String path = ctx.path();
        Optional<GatewayConfig.Route> api = routing.api().stream().filter(r -> r.matches(path)).findFirst();
        if (api.isEmpty() || hasDotSegments(ctx.req().getRequestURI())) {
            return false;
        }
        Optional<String> key = dev.latchkey.gateway.proxy.ApiKeyRelay.presented(ctx);
        if (key.isEmpty()) {
            return false;
        }
        Trace trace = ctx.attribute(TRACE);
        proxy.forward(ctx, api.get().upstream(), true, trace.traceparent(), apiKeys.identity(key.get()), () -> apiKeys.retry(key.get()));
        return true;
    }

    private static boolean hasDotSegments(String rawPath) {
        String p = rawPath.replace("%2e", ".").replace("%2E", ".");
        return p.contains("/../") || p.contains("/./") || p.endsWith("/..") || p.endsWith("/.");
    }

    private static ReverseProxy.Identity bearer(GatewaySession s) {
        return new ReverseProxy.Identity(Optional.of(s.tokens().accessToken()), Optional.empty());
    }
}
