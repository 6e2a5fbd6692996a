package dev.latchkey.server.pages;

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
        if (decoded.startsWith("//") || decoded.indexOf('\\') >= 0 || dotSegments(raw) || dotSegments(decoded)) {
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

    /**
     * True when the path has a {@code .} or {@code ..} segment: a browser removes them (RFC 3986
     * §5.2.4), so {@code /.//evil} becomes the path {@code //evil}, which any later relative
     * redirect on the site would send off it.
     */
    static boolean dotSegments(String p) {
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
}
