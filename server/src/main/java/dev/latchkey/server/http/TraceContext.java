package dev.latchkey.server.http;

import dev.latchkey.core.crypto.RandomTokens;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the request's trace id is taken from a
 * valid {@code traceparent} header, else created; every request gets its own span id.
 */
public record TraceContext(String traceId, String spanId, String parentSpanId, boolean sampled) {
    private static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);

    /** Continues the caller's trace when {@code header} is a valid traceparent, else starts a new one. */
    public static TraceContext continueOrStart(String header) {
        if (header != null && header.length() <= 512) {
            var m = TRACEPARENT.matcher(header.strip());
            if (m.matches() && !m.group(1).equals("ff") && !(m.group(1).equals("00") && m.group(5) != null)
                    && !m.group(2).equals(ZERO_TRACE) && !m.group(3).equals(ZERO_SPAN)) {
                boolean sampled = (Integer.parseInt(m.group(4), 16) & 1) == 1;
                return new TraceContext(m.group(2), newSpan(), m.group(3), sampled);
            }
        }
        return new TraceContext(HexFormat.of().formatHex(RandomTokens.bytes(16)), newSpan(), null, true);
    }

    private static String newSpan() {
        return HexFormat.of().formatHex(RandomTokens.bytes(8));
    }

    /** The traceparent for calls this request makes (and for the response's {@code traceresponse}). */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }
}
