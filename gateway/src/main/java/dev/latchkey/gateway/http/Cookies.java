package dev.latchkey.gateway.http;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * The gateway's cookies. Always {@code __Host-} prefixed, {@code Secure}, {@code HttpOnly}, {@code Path=/},
 * {@code SameSite=Lax} (RFC 6265bis §4.1.3.2; browsers accept Secure cookies from http://localhost). The session
 * cookie has no Max-Age (the server-side session decides); the flow cookie lives as long as a login flow.
 */
public final class Cookies {
    public static final String SESSION = "__Host-lk-session";
    /** Prefix of the login-flow cookies: one per flow, named after its state, so logins in several tabs do not collide. */
    public static final String FLOW = "__Host-lk-flow-";

    /**
     * Whether a cookie is Latchkey's: the gateway's ({@code __Host-lk-…}) or the server's ({@code __Host-lk_…},
     * {@code __Secure-lk_…}), which a browser also sends here when the server shares this host on another port
     * (cookies ignore ports, RFC 6265 §8.5), as in {@code latchkey dev}. Upstreams may neither see nor set these.
     */
    public static boolean isLatchkeys(String cookiePair) {
        String p = cookiePair.strip();
        return p.startsWith("__Host-lk-") || p.startsWith("__Host-lk_") || p.startsWith("__Secure-lk_");
    }

    private Cookies() {
    }

    public static void set(Context ctx, String name, String value, Duration maxAge) {
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Lax"
                + (maxAge == null ? "" : "; Max-Age=" + maxAge.toSeconds()));
    }

    public static void clear(Context ctx, String name) {
        ctx.res().addHeader("Set-Cookie", name + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    }

    /** The flow cookie of the login whose {@code state} is given (null for a missing or malformed state). */
    public static String flowName(String state) {
        return state == null || !state.matches("[A-Za-z0-9_-]{16,128}") ? null : FLOW + state.substring(0, 16);
    }

    /** The value of cookie {@code name} from the request's Cookie headers, or null. */
    public static String read(Context ctx, String name) {
        var headers = ctx.req().getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            for (String pair : headers.nextElement().split(";")) {
                String p = pair.strip();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(name)) {
                    return p.substring(eq + 1);
                }
            }
        }
        return null;
    }

    /** The request's Cookie header without the gateway's own cookies, or null when nothing remains. */
    public static String withoutGatewayCookies(Context ctx) {
        StringBuilder b = new StringBuilder();
        var headers = ctx.req().getHeaders("Cookie");
        while (headers != null && headers.hasMoreElements()) {
            for (String pair : headers.nextElement().split(";")) {
                String p = pair.strip();
                if (!p.isEmpty() && !isLatchkeys(p)) {
                    b.append(b.isEmpty() ? "" : "; ").append(p);
                }
            }
        }
        return b.isEmpty() ? null : b.toString();
    }
}
