package dev.latchkey.server.http;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server: Javalin on Jetty with virtual threads. Every request gets a trace id (MDC
 * {@code trace_id}, response header {@code traceresponse}), the standard security headers and a
 * timer; every failure becomes a problem response — a bug is logged with its trace id and answered
 * 500 without detail.
 */
public final class HttpApp {
    public static final String TRACE = "latchkey.trace";
    /** How long {@link #stop()} waits for requests in flight before it closes their connections. */
    public static final Duration DRAIN = Duration.ofSeconds(20);
    private static final String STARTED = "latchkey.started";
    private static final Logger LOG = LoggerFactory.getLogger(HttpApp.class);

    private final Javalin javalin;

    /** Listener settings. */
    public record Listen(String host, int port, int maxBody) {
    }

    public HttpApp(Listen listen, Problems problems, SecurityHeaders headers, MeterRegistry metrics, List<Endpoints> endpoints) {
        this.javalin = Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = listen.host();
            config.jetty.port = listen.port();
            config.http.maxRequestSize = listen.maxBody();
            config.http.generateEtags = false;
            config.jetty.modifyHttpConfiguration(h -> {
                h.setSendServerVersion(false);
                h.setSendXPoweredBy(false);
                h.setRequestHeaderSize(16 * 1024);
            });
            config.jetty.modifyServer(server -> {
                // what Jetty refuses before routing (bad URI, 414, 431, 505) is a problem document too, not Jetty's HTML page
                server.setErrorHandler(new ProtocolErrors(problems, headers));
                // stop() drains: no new connections, requests in flight finish (for at most DRAIN)
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(DRAIN.toMillis());
            });

            config.routes.before(ctx -> {
                TraceContext t = TraceContext.continueOrStart(ctx.header("traceparent"));
                ctx.attribute(TRACE, t);
                ctx.attribute(STARTED, System.nanoTime());
                MDC.put("trace_id", t.traceId());
                MDC.put("span_id", t.spanId());
                ctx.header("traceresponse", t.traceparent());
                ctx.header("X-Trace-Id", t.traceId());
                headers.everyResponse(ctx);
            });
            config.routes.after(ctx -> {
                Long started = ctx.attribute(STARTED);
                if (started != null) {
                    io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
                    Timer.builder("latchkey.http.requests")
                            .tag("method", ctx.method().name())
                            .tag("route", matched == null ? "unmatched" : matched.path)
                            .tag("status", Integer.toString(ctx.statusCode()))
                            .register(metrics)
                            .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                }
                MDC.remove("trace_id");
                MDC.remove("span_id");
            });
            config.routes.exception(LatchkeyException.class, (e, ctx) -> {
                if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.SERVICE_UNAVAILABLE) {
                    LOG.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e.getCause());
                } else {
                    LOG.debug("{} {} -> {} ({})", ctx.method(), ctx.path(), e.code().wireName(), e.getMessage());
                }
                problems.write(ctx, e);
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
                problems.write(ctx, ErrorCode.INTERNAL, null, -1);
            });
            config.routes.error(HttpStatus.NOT_FOUND.getCode(), ctx -> {
                String written = ctx.res().getContentType();
                // a handler's own 404 (a problem, or the relations API's OpenFGA-shaped JSON) stands
                if (!Problems.CONTENT_TYPE.equals(written) && (written == null || !written.startsWith("application/json"))) {
                    problems.write(ctx, ErrorCode.NOT_FOUND, null, -1);
                }
            });
            config.routes.error(HttpStatus.METHOD_NOT_ALLOWED.getCode(), ctx -> problems.write(ctx, ErrorCode.METHOD_NOT_ALLOWED, null, -1));
            config.routes.error(HttpStatus.CONTENT_TOO_LARGE.getCode(), ctx -> {
                if (!Problems.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                    problems.write(ctx, ErrorCode.PAYLOAD_TOO_LARGE, null, -1);
                }
            });
            for (Endpoints e : endpoints) {
                e.register(config.routes);
            }
        });
    }

    public HttpApp start() {
        javalin.start();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return javalin.port();
    }

    /** Every HTTP route registered, as {@code "METHOD /path/{param}"} (for tests that must try all of them). */
    public List<String> routes() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream()
                .map(p -> p.endpoint.method.name() + " " + p.endpoint.path).toList();
    }

    /** Stops accepting connections, lets the requests in flight finish (at most {@link #DRAIN}), then stops. */
    public void stop() {
        javalin.stop();
    }

    /** The trace of the current request. */
    public static TraceContext trace(Context ctx) {
        return ctx.attribute(TRACE);
    }
}
