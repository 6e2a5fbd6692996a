package dev.latchkey.server.ops;

import dev.latchkey.core.key.KeyRing;
import dev.latchkey.server.http.Endpoints;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;

/**
 * The JWKS (RFC 7517), health checks for orchestrators and Prometheus metrics. Each listener serves the
 * {@link Route}s it is given: the public one everything (or all but {@code /metrics} when a management port is set),
 * the management one health and metrics.
 */
public final class OpsEndpoints implements Endpoints {
    /** The operational routes, grouped as a listener serves them. */
    public enum Route { JWKS, HEALTH, METRICS }

    private final KeyRing keys;
    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;
    private final Duration jwksMaxAge;
    private final Set<Route> routes;

    public OpsEndpoints(KeyRing keys, Readiness readiness, PrometheusMeterRegistry metrics, Duration jwksMaxAge, Set<Route> routes) {
        this.keys = keys;
        this.readiness = readiness;
        this.metrics = metrics;
        this.jwksMaxAge = jwksMaxAge;
        this.routes = Set.copyOf(routes);
    }

    @Override
    public void register(RoutesConfig r) {
        if (routes.contains(Route.JWKS)) {
            r.get("/.well-known/jwks.json", this::jwks);
        }
        if (routes.contains(Route.HEALTH)) {
            r.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"up\"}"));
            r.get("/health/ready", this::ready);
        }
        if (routes.contains(Route.METRICS)) {
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        }
    }

    void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=" + jwksMaxAge.toSeconds());
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.contentType("application/jwk-set+json").result(keys.jwksJson());
    }

    void ready(Context ctx) {
        Readiness.Report r = readiness.check();
        ctx.status(r.status()).header("Cache-Control", "no-store").contentType("application/json").result(r.body());
    }
}
