package dev.latchkey.core.oauth;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Redirect URI rules. Matching is exact string comparison (OAuth 2.1 §2.3.1), with one exception:
 * for loopback IP redirects of native apps ({@code application_type: native}) the port may differ
 * (RFC 8252 §7.3); a web client's loopback redirect matches exactly, port included. Registration
 * accepts https URIs, http only on loopback hosts, and private-use schemes for native apps; never a
 * fragment, never a wildcard.
 */
public final class RedirectUris {
    private RedirectUris() {
    }

    /** @param anyLoopbackPort a native app's: a loopback IP redirect may come with any port */
    public static boolean matches(List<String> registered, String presented, boolean anyLoopbackPort) {
        if (presented == null) {
            return false;
        }
        for (String r : registered) {
            if (r.equals(presented) || (anyLoopbackPort && loopbackMatch(r, presented))) {
                return true;
            }
        }
        return false;
    }

    private static boolean loopbackMatch(String registered, String presented) {
        URI r;
        URI p;
        try {
            r = new URI(registered);
            p = new URI(presented);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (!"http".equals(r.getScheme()) || !"http".equals(p.getScheme())) {
            return false;
        }
        String host = r.getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("[::1]"))) {
            return false;
        }
        return host.equals(p.getHost()) && p.getRawUserInfo() == null
                && eq(r.getRawPath(), p.getRawPath()) && eq(r.getRawQuery(), p.getRawQuery()) && p.getRawFragment() == null;
    }

    private static boolean eq(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    /** Why a URI cannot be registered, or null when it can. */
    public static String problem(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return "is not a valid URI";
        }
        if (!u.isAbsolute()) {
            return "must be absolute";
        }
        if (u.getRawFragment() != null) {
            return "must not have a fragment";
        }
        if (uri.contains("*")) {
            return "must not contain wildcards";
        }
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return u.getHost() == null ? "has no host" : null;
        }
        if (scheme.equals("http")) {
            String h = u.getHost();
            boolean loopback = h != null && (h.equals("127.0.0.1") || h.equals("[::1]") || h.equals("localhost"));
            return loopback ? null : "must use https (http only on localhost/127.0.0.1)";
        }
        if (scheme.equals("javascript") || scheme.equals("data") || scheme.equals("file") || scheme.equals("vbscript")) {
            return "uses a forbidden scheme";
        }
        // private-use scheme of a native app (RFC 8252 §7.1): reverse-domain style, with a dot
        return scheme.contains(".") ? null : "a custom scheme must be reverse-domain style (e.g. com.example.app:/cb)";
    }
}
