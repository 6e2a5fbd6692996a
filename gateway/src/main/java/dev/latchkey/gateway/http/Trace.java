package dev.latchkey.gateway.http;

import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.sdk.http.TraceContext;
import java.util.HexFormat;

/**
 * W3C Trace Context §3.2: continues the caller's trace ({@code traceparent}) or starts one; the gateway is one span
 * and forwards {@code traceparent} with its own span id as the parent.
 */
public record Trace(String traceId, String spanId, String flags) {

    public static Trace continueOrStart(String traceparent) {
        String span = HexFormat.of().formatHex(RandomTokens.bytes(8));
        return TraceContext.traceId(traceparent)
                .map(id -> new Trace(id, span, traceparent.strip().substring(53, 55)))
                .orElseGet(() -> new Trace(HexFormat.of().formatHex(RandomTokens.bytes(16)), span, "01"));
    }

    /** The header to send to upstreams: this trace, the gateway's span as parent. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }
}
