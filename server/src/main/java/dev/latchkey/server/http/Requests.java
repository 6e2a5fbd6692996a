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
     * True when a state-changing request comes from our own site: it carries the {@code X-CSRF}
     * header (which a cross-site form cannot send), or its Origin is ours, or the browser says
     * {@code Sec-Fetch-Site: same-origin}.
     */
    public boolean sameSiteIntent(Context ctx) {
        String x = ctx.header("X-CSRF");
        if (x != null && !x.isBlank()) {
            return true;
        }
        String origin = ctx.header("Origin");
        if (origin != null) {
            return origin.equalsIgnoreCase(publicOrigin);
        }
        return "same-origin".equals(ctx.header("Sec-Fetch-Site"));
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
