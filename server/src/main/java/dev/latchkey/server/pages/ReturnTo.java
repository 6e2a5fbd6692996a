package dev.latchkey.server.pages;

import dev.latchkey.core.PathSegments;

/**
 * Where to go after sign-in: only a path on this server. Anything that could leave the site
 * (a scheme, {@code //host}, {@code /\host}, control characters, encoded variants of those) is
 * replaced by the default page, and so are paths with dot segments ({@code /.//host}).
 */
public final class ReturnTo {
    public static final String DEFAULT = "/account";

    private ReturnTo() {
    }

    public static String sanitize(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 4096) {
            return DEFAULT;
        }
        if (raw.charAt(0) != '/' || raw.startsWith("//") || raw.startsWith("/\\")) {
            return DEFAULT;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\') {
                return DEFAULT;
            }
        }
        String lower = raw.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("/%2f") || lower.startsWith("/%5c") || lower.startsWith("/%09")) {
            return DEFAULT;
        }
        String decoded;
        try {
            decoded = java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return DEFAULT;
        }
        if (decoded.startsWith("//") || decoded.indexOf('\\') >= 0 || PathSegments.hasDotSegment(raw) || PathSegments.hasDotSegment(decoded)) {
            return DEFAULT;
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                return DEFAULT;
            }
        }
        return raw;
    }

}
