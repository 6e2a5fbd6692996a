package dev.latchkey.server.pages;

/**
 * Where to go after sign-in: only a path on this server. Anything that could leave the site
 * (a scheme, {@code //host}, {@code /\host}, control characters, encoded variants of those) is
 * replaced by the default page.
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
        return raw;
    }
}
