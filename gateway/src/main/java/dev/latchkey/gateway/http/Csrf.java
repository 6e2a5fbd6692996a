package dev.latchkey.gateway.http;

import io.javalin.http.Context;
import java.util.Set;

/**
 * Cross-site request forgery defence for state-changing requests (POST, PUT, PATCH, DELETE) — OWASP CSRF Prevention
 * Cheat Sheet: custom request header, Origin verification, Fetch Metadata (W3C Fetch Metadata §2.1).
 * A request is refused when its {@code Origin} names another origin or its {@code Sec-Fetch-Site} says
 * cross-site/same-site; otherwise it must carry {@code X-CSRF: 1}, the gateway's own {@code Origin}, or
 * {@code Sec-Fetch-Site: same-origin}. {@code Origin: null} with {@code Sec-Fetch-Site: same-origin} is this origin's
 * page under {@code Referrer-Policy: no-referrer} (a browser sends {@code null} for a form post then, and the Fetch
 * Metadata it sets itself is never {@code same-origin} for an opaque origin such as a sandboxed frame's): allowed.
 */
public final class Csrf {
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final String origin;

    public Csrf(String origin) {
        this.origin = origin;
    }

    public boolean allows(Context ctx) {
        if (!UNSAFE.contains(ctx.method().name())) {
            return true;
        }
        String o = ctx.header("Origin");
        String site = ctx.header("Sec-Fetch-Site");
        boolean opaqueButSameOrigin = "null".equals(o) && "same-origin".equals(site);
        if (o != null && !o.equals(origin) && !opaqueButSameOrigin) {
            return false;
        }
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        return "1".equals(ctx.header("X-CSRF")) || origin.equals(o) || "same-origin".equals(site);
    }
}
