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
        // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with a form post (the
        // organization switcher's, to the gateway's /auth/org), which the gateway's CSRF check refuses; other sites
        // still get no referrer
        ctx.header("Referrer-Policy", "same-origin");
    }

    public static void page(Context ctx) {
        ctx.header("Content-Security-Policy", PAGE_CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }
}
