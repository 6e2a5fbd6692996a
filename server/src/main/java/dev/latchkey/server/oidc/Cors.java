package dev.latchkey.server.oidc;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * CORS (Fetch standard, "CORS protocol") for the endpoints a browser application calls itself:
 * token, userinfo and revocation answer any origin, never with credentials. They do not read
 * cookies, so a response is only of use to a caller that already holds a code and its verifier, a
 * refresh token or an access token. {@code WWW-Authenticate} is exposed so that a script can read
 * a Bearer error; preflights allow the headers those calls carry.
 */
final class Cors {
    private Cors() {
    }

    static void allowAnyOrigin(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Expose-Headers", "WWW-Authenticate");
    }

    /** Answers a preflight for {@code methods} with {@code Authorization} and {@code Content-Type}. */
    static Handler preflight(String methods) {
        return ctx -> {
            allowAnyOrigin(ctx);
            ctx.header("Access-Control-Allow-Methods", methods);
            ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type");
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
        };
    }
}
