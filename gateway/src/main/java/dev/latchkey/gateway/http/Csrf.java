package dev.latchkey.gateway.http;

import io.javalin.http.Context;
import java.util.Set;

/**
 * Cross-site request forgery defence for state-changing requests (POST, PUT, PATCH, DELETE) — OWASP CSRF Prevention
 * Cheat Sheet: custom request header, Origin verification, Fetch Metadata (W3C Fetch Metadata §2.1).
 * A request is refused when its {@code Origin} names another origin or its {@code Sec-Fetch-Site} says
 * cross-site/same-site; otherwise it must carry {@code X-CSRF: 1}, the gateway's own {@code Origin}, or
 * {@code Sec-Fetch-Site: same-origin}.
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
        if (o != null && !o.equals(origin)) {
            return false;
        }
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        return "1".equals(ctx.header("X-CSRF")) || origin.equals(o) || "same-origin".equals(site);
    }
}
