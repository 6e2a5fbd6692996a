package dev.latchkey.gateway.http;

import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live} and {@code GET /health/ready}, as the server answers them. A node is ready while its
 * database answers (sessions live there); Redis is optional, so a node whose Redis is unreachable stays ready
 * ({@code 200}) and says {@code degraded}: its refresh leases are kept in PostgreSQL until Redis is back, which every
 * node reaches, rather than every node leaving the load balancer at once over a shared Redis.
 */
public final class Health {
    /** The answer: HTTP status and JSON body. */
    public record Report(int status, String body) {
    }

    private final BooleanSupplier database;
    private final Optional<BooleanSupplier> redis;

    /**
     * @param database whether the database answers now
     * @param redis    whether Redis answers, when Redis is configured
     */
    public Health(BooleanSupplier database, Optional<BooleanSupplier> redis) {
        this.database = Objects.requireNonNull(database, "database");
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    public Report check() {
        boolean db;
        try {
            db = database.getAsBoolean();
        } catch (RuntimeException e) {
            db = false;
        }
        Optional<Boolean> r = redis.map(BooleanSupplier::getAsBoolean);
        String status = !db ? "down" : r.orElse(true) ? "up" : "degraded";
        StringBuilder b = new StringBuilder("{\"status\":\"").append(status).append("\",\"database\":\"").append(db ? "up" : "down").append('"');
        r.ifPresent(up -> b.append(",\"redis\":\"").append(up ? "up" : "down").append("\",\"refresh_leases\":\"")
                .append(up ? "redis" : "postgresql").append('"'));
        return new Report(db ? 200 : 503, b.append('}').toString());
    }

    void live(Context ctx) {
        ctx.header("Cache-Control", "no-store").contentType("application/json").result("{\"status\":\"up\"}");
    }

    void ready(Context ctx) {
        Report r = check();
        ctx.status(r.status()).header("Cache-Control", "no-store").contentType("application/json").result(r.body());
    }
}
