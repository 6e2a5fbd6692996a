package dev.latchkey.server.oidc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Appends query parameters to a (registered) redirect URI that may already carry a query. */
final class RedirectUrl {
    private final StringBuilder b;
    private boolean hasQuery;

    RedirectUrl(String base) {
        this.b = new StringBuilder(base);
        this.hasQuery = base.indexOf('?') >= 0;
    }

    RedirectUrl param(String name, String value) {
        if (value == null) {
            return this;
        }
        b.append(hasQuery ? (b.charAt(b.length() - 1) == '?' || b.charAt(b.length() - 1) == '&' ? "" : "&") : "?");
        hasQuery = true;
        b.append(enc(name)).append('=').append(enc(value));
        return this;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
