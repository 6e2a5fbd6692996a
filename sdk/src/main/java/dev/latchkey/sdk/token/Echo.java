package dev.latchkey.sdk.token;

/**
 * How a rejection repeats what the sender wrote. A token's header ({@code kid}, {@code alg}, {@code typ}) is
 * attacker text that reaches the log before anything is verified: repeated raw, a CR/LF would start a forged
 * log line and an 8,000-character {@code kid} would flood the log. So every echoed value is quoted, its control,
 * format and line-separator characters escaped in Java notation (a line feed becomes the two characters
 * backslash and n, U+2028 a backslash-u escape), quotes and backslashes too, and at most {@value #MAX}
 * characters of it kept, followed by the count of what was cut.
 */
public final class Echo {
    /** The most characters of one value a message repeats. */
    public static final int MAX = 64;
    /** The longest rejection message (a second fence for details that are not one value). */
    static final int MAX_MESSAGE = 512;

    private Echo() {
    }

    /** {@code value} quoted, escaped and capped at {@value #MAX} characters, e.g. {@code "k1…"…(+7990 chars)}. */
    public static String of(Object value) {
        return of(value, MAX);
    }

    /** As {@link #of(Object)}, keeping at most {@code max} characters (exception messages are longer than a kid). */
    public static String of(Object value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder().append('"');
        String s = value.toString();
        int end = cut(s, max);
        escape(s, end, true, b);
        b.append('"');
        return end < s.length() ? b.append("…(+").append(s.length() - end).append(" chars)").toString() : b.toString();
    }

    /**
     * A whole message made safe for one log line: control characters escaped (quotes and backslashes kept, so
     * text already passed through {@link #of} stays as it is) and at most {@value #MAX_MESSAGE} characters.
     */
    static String line(String message) {
        int end = cut(message, MAX_MESSAGE);
        StringBuilder b = new StringBuilder(end + 16);
        escape(message, end, false, b);
        return end < message.length() ? b.append("…(+").append(message.length() - end).append(" chars)").toString() : b.toString();
    }

    /** Where to cut {@code s} to keep at most {@code max} characters without splitting a surrogate pair. */
    private static int cut(String s, int max) {
        if (s.length() <= max) {
            return s.length();
        }
        return Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    }

    private static void escape(String s, int end, boolean quoted, StringBuilder b) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"', '\\' -> {
                    if (quoted) {
                        b.append('\\');
                    }
                    b.append(c);
                }
                default -> {
                    if (unprintable(c)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }

    /** C0/C1 controls (NEL too), format characters (bidi overrides, zero-width), line and paragraph separators. */
    private static boolean unprintable(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
