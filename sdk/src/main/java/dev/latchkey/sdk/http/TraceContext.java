package dev.latchkey.sdk.http;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * W3C Trace Context (Recommendation, §3.2 {@code traceparent}): the incoming trace id is put in the SLF4J
 * MDC as {@code trace_id} for the request, so every log line of the request carries it, and taken out again
 * when the returned scope closes (restoring any value that was there before).
 */
public final class TraceContext {
    public static final String MDC_KEY = "trace_id";
    public static final String HEADER = "traceparent";

    private TraceContext() {
    }

    /** The {@code trace-id} of a valid {@code traceparent}, else empty. */
    public static Optional<String> traceId(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        String v = traceparent.strip();
        // version "-" trace-id(32) "-" parent-id(16) "-" flags(2); later versions may append "-" fields (§3.2.4)
        if (v.length() < 55 || v.charAt(2) != '-' || v.charAt(35) != '-' || v.charAt(52) != '-') {
            return Optional.empty();
        }
        String version = v.substring(0, 2);
        if (!isLowerHex(version) || version.equals("ff") || (version.equals("00") && v.length() != 55)
                || (v.length() > 55 && v.charAt(55) != '-')) {
            return Optional.empty();
        }
        String traceId = v.substring(3, 35);
        String parentId = v.substring(36, 52);
        if (!isLowerHex(traceId) || !isLowerHex(parentId) || !isLowerHex(v.substring(53, 55))
                || traceId.chars().allMatch(c -> c == '0') || parentId.chars().allMatch(c -> c == '0')) {
            return Optional.empty();
        }
        return Optional.of(traceId);
    }

    /** Puts the trace id (if the header is valid) in the MDC until the scope is closed. */
    public static Scope open(String traceparent) {
        Optional<String> traceId = traceId(traceparent);
        if (traceId.isEmpty()) {
            return Scope.NOTHING;
        }
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, traceId.get());
        return () -> {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        };
    }

    /** Restores the MDC. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        Scope NOTHING = () -> { };

        @Override
        void close();
    }

    private static boolean isLowerHex(String s) {
        return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
