package dev.latchkey.gateway.login;

import dev.latchkey.core.PathSegments;
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
        if (!plain(decoded) || PathSegments.hasDotSegment(p) || PathSegments.hasDotSegment(decoded)) {
            return false;
        }
        try {
            URI u = new URI(p);
            return u.getScheme() == null && u.getRawAuthority() == null && u.getRawPath() != null && u.getRawPath().startsWith("/");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
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
