package dev.latchkey.server.http;

import io.javalin.http.Context;
import java.time.Duration;

/**
 * Set-Cookie headers written by hand, so every attribute is explicit: HttpOnly always, Secure and
 * the {@code __Host-}/{@code __Secure-} name prefixes unless secure cookies were explicitly turned
 * off for plain-http development.
 */
public final class Cookies {
    /** SameSite values (RFC 6265bis §4.1.2.7). */
    public enum SameSite { STRICT, LAX, NONE }

    private final boolean secure;

    public Cookies(boolean secure) {
        this.secure = secure;
    }

    public boolean secure() {
        return secure;
    }

    /** A host-only cookie for the whole site: {@code __Host-name}, Path=/ . */
    public String hostName(String base) {
        return secure ? "__Host-" + base : base;
    }

    /** A cookie scoped to a path: {@code __Secure-name}. */
    public String pathName(String base) {
        return secure ? "__Secure-" + base : base;
    }

    public void set(Context ctx, String name, String value, String path, Duration maxAge, SameSite sameSite) {
        StringBuilder b = new StringBuilder(name).append('=').append(value).append("; Path=").append(path);
        if (maxAge != null) {
            b.append("; Max-Age=").append(Math.max(0, maxAge.toSeconds()));
        }
        b.append("; HttpOnly");
        if (secure) {
            b.append("; Secure");
        }
        b.append("; SameSite=").append(switch (sameSite) {
            case STRICT -> "Strict";
            case LAX -> "Lax";
            case NONE -> "None";
        });
        ctx.res().addHeader("Set-Cookie", b.toString());
    }

    public void clear(Context ctx, String name, String path, SameSite sameSite) {
        set(ctx, name, "", path, Duration.ZERO, sameSite);
    }

    /** The value of a cookie in the request, or null (a cookie sent twice is treated as absent). */
    public static String read(Context ctx, String name) {
        String header = ctx.header("Cookie");
        if (header == null) {
            return null;
        }
        String found = null;
        for (String part : header.split(";")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).equals(name)) {
                if (found != null) {
                    return null;
                }
                found = p.substring(eq + 1);
            }
        }
        return found;
    }
}
