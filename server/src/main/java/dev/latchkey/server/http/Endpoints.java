package dev.latchkey.server.http;

import io.javalin.config.RoutesConfig;

/** A group of routes; the composition root lists every group explicitly. */
public interface Endpoints {
    void register(RoutesConfig routes);
}
