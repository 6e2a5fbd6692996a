package dev.latchkey.server.ops;

import dev.latchkey.store.sql.Jdbc;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What {@code /health/ready} reports. A node is ready while its database answers; Redis is optional, so a node
 * whose Redis is unreachable stays ready ({@code 200}) and says {@code degraded}: its rate limits count per node
 * until Redis is back, which is better than every node leaving the load balancer at once over a shared Redis. (A
 * node that is shutting down answers every new request, this one too, with 503 {@code service_unavailable}.)
 */
public final class Readiness {
    /** The answer: HTTP status and JSON body. */
    public record Report(int status, String body) {
    }

    private final Jdbc jdbc;
    private final Optional<BooleanSupplier> redisUp;

    /** @param redisUp whether Redis answers, when Redis is configured */
    public Readiness(Jdbc jdbc, Optional<BooleanSupplier> redisUp) {
        this.jdbc = jdbc;
        this.redisUp = redisUp;
    }

    public Report check() {
        boolean db;
        try {
            db = jdbc.queryOne("SELECT 1", rs -> rs.getInt(1)).isPresent();
        } catch (RuntimeException e) {
            db = false;
        }
        Optional<Boolean> redis = redisUp.map(BooleanSupplier::getAsBoolean);
        String status = !db ? "down" : redis.orElse(true) ? "up" : "degraded";
        StringBuilder b = new StringBuilder("{\"status\":\"").append(status).append("\",\"database\":\"").append(db ? "up" : "down").append('"');
        redis.ifPresent(up -> b.append(",\"redis\":\"").append(up ? "up" : "down").append("\",\"rate_limits\":\"")
                .append(up ? "shared" : "per_node").append('"'));
        return new Report(db ? 200 : 503, b.append('}').toString());
    }
}
