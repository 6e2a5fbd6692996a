package dev.latchkey.examples.http;

import io.javalin.http.Context;

/**
 * Headers on every response, and the strict set for HTML pages: scripts, styles and fetches from this origin
 * only (no inline script, no {@code eval}), no framing, no referrer, no caching of personal pages.
 */
public final class SecurityHeaders {
    public static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {
    }

    public static void everyResponse(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    public static void page(Context ctx) {
        ctx.header("Content-Security-Policy", PAGE_CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }
}
