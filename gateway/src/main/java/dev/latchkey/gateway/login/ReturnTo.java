package dev.latchkey.gateway.login;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The page to return to after sign-in: only a same-origin relative path is kept (OAuth 2.0 Security BCP,
 * RFC 9700 §4.11: open redirectors). Anything else — absolute or scheme-relative URLs ({@code //evil},
 * {@code /\evil}), backslashes, control characters, or such forms hidden behind percent-encoding
 * ({@code /%2F%2Fevil}), or dot segments ({@code /.//evil}) — lands on the default page.
 */
public final class ReturnTo {
    private static final int MAX_LENGTH = 2048;

    private ReturnTo() {
    }

    /** {@code candidate} if it is safe, else {@code fallback}. */
    public static String sanitize(String candidate, String fallback) {
        return isSafe(candidate) ? candidate : fallback;
    }

    public static boolean isSafe(String p) {
        if (p == null || p.isEmpty() || p.length() > MAX_LENGTH || !plain(p)) {
            return false;
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!plain(decoded) || dotSegments(p) || dotSegments(decoded)) {
            return false;
        }
        try {
            URI u = new URI(p);
            return u.getScheme() == null && u.getRawAuthority() == null && u.getRawPath() != null && u.getRawPath().startsWith("/");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * A {@code .} or {@code ..} path segment: browsers remove them (RFC 3986 §5.2.4), so
     * {@code /.//evil} becomes the path {@code //evil}, which a later relative redirect would send off the site.
     */
    private static boolean dotSegments(String p) {
        int end = p.length();
        for (char stop : new char[] {'?', '#'}) {
            int i = p.indexOf(stop);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        for (String segment : p.substring(0, end).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean plain(String p) {
        if (!p.startsWith("/") || p.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || Character.isWhitespace(c) || (c >= 0x80 && c <= 0x9f)) {
                return false;
            }
        }
        return true;
    }
}
