package dev.latchkey.server.http;

import io.javalin.http.Context;
import java.util.function.BiConsumer;

/**
 * Response headers every Latchkey response carries, and the stricter set for HTML pages: a CSP
 * that allows only our own script and fetches (the passkey ceremonies' {@code /assets/passkeys.js}; no
 * inline script) and {@code frame-ancestors 'none'}, no framing, no referrer, no sniffing.
 * (No {@code form-action}: Chromium applies it to the redirects after a form post, which would
 * block the redirect back to a client.)
 */
public final class SecurityHeaders {
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final boolean hsts;

    public SecurityHeaders(boolean hsts) {
        this.hsts = hsts;
    }

    public void everyResponse(Context ctx) {
        everyResponse(ctx::header);
    }

    /** The same, for a response written outside Javalin (Jetty's own refusals, {@link ProtocolErrors}). */
    public void everyResponse(BiConsumer<String, String> header) {
        header.accept("X-Content-Type-Options", "nosniff");
        header.accept("Referrer-Policy", "no-referrer");
        if (hsts) {
            header.accept("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }

    public static void page(Context ctx) {
        ctx.header("Content-Security-Policy", PAGE_CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cache-Control", "no-store");
    }
}
