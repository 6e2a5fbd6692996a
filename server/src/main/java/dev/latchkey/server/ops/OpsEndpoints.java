package dev.latchkey.server.ops;

import dev.latchkey.core.key.KeyRing;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.store.sql.Jdbc;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The JWKS (RFC 7517), health checks for orchestrators and Prometheus metrics.
 */
public final class OpsEndpoints implements Endpoints {
    private final KeyRing keys;
    private final Jdbc jdbc;
    private final PrometheusMeterRegistry metrics;
    private final Duration jwksMaxAge;

    public OpsEndpoints(KeyRing keys, Jdbc jdbc, PrometheusMeterRegistry metrics, Duration jwksMaxAge) {
        this.keys = keys;
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.jwksMaxAge = jwksMaxAge;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/.well-known/jwks.json", this::jwks);
        r.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"up\"}"));
        r.get("/health/ready", this::ready);
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    }

    void jwks(Context ctx) {
        ctx.header("Cache-Control", "public, max-age=" + jwksMaxAge.toSeconds());
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.contentType("application/jwk-set+json").result(keys.jwksJson());
    }

    void ready(Context ctx) {
        boolean db;
        try {
            db = jdbc.queryOne("SELECT 1", rs -> rs.getInt(1)).isPresent();
        } catch (RuntimeException e) {
            db = false;
        }
        ctx.status(db ? 200 : 503).contentType("application/json")
                .result(db ? "{\"status\":\"up\",\"database\":\"up\"}" : "{\"status\":\"down\",\"database\":\"down\"}");
    }
}
