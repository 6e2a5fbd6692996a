package dev.latchkey.core;

/**
 * Who is asking, as far as audit and abuse protection need to know: the client IP, the user agent
 * and the request's trace id. Parsed from HTTP by the server; never holds a secret.
 */
public record RequestContext(String ip, String userAgent, String traceId) {
    public static final RequestContext SYSTEM = new RequestContext(null, "latchkey", null);

    public RequestContext {
        userAgent = userAgent == null ? null : truncate(userAgent, 256);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
