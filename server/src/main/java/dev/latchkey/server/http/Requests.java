package dev.latchkey.server.http;

import dev.latchkey.core.RequestContext;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Locale;

/** Turns the HTTP request into the plain facts the core needs (client IP, user agent, trace id). */
public final class Requests {
    private final boolean trustProxy;
    private final String publicOrigin;

    public Requests(boolean trustProxy, URI publicUrl) {
        this.trustProxy = trustProxy;
        this.publicOrigin = origin(publicUrl);
    }

    public RequestContext context(Context ctx) {
        TraceContext t = ctx.attribute(HttpApp.TRACE);
        return new RequestContext(clientIp(ctx), ctx.header("User-Agent"), t == null ? null : t.traceId());
    }

    public String clientIp(Context ctx) {
        if (trustProxy) {
            String xff = ctx.header("X-Forwarded-For");
            if (xff != null && !xff.isBlank()) {
                String first = xff.split(",", 2)[0].strip();
                if (!first.isEmpty() && first.length() <= 64) {
                    return first;
                }
            }
        }
        return ctx.req().getRemoteAddr();
    }

    /**
     * True when a state-changing cookie request comes from our own origin. A browser's own
     * statement that the request is cross-origin wins over everything else: a foreign (or
     * {@code null}) {@code Origin}, or {@code Sec-Fetch-Site} other than {@code same-origin} or
     * {@code none}, refuses it even with the {@code X-CSRF} header (Fetch Metadata, W3C; RFC 6454
     * §7). Otherwise it needs positive proof: the {@code X-CSRF} header (which a cross-site form
     * cannot send without a CORS preflight we never grant), our own Origin, or
     * {@code Sec-Fetch-Site: same-origin}.
     */
    public boolean sameSiteIntent(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase(publicOrigin)) {
            return false;
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String x = ctx.header("X-CSRF");
        return (x != null && !x.isBlank()) || origin != null || "same-origin".equals(site);
    }

    /** For forms: the Origin (or Referer) must be ours when the browser sends one. */
    public boolean originAllowed(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null")) {
            return origin.equalsIgnoreCase(publicOrigin);
        }
        String site = ctx.header("Sec-Fetch-Site");
        return site == null || site.equals("same-origin") || site.equals("none");
    }

    public String publicOrigin() {
        return publicOrigin;
    }

    static String origin(URI u) {
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort();
        boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
