package dev.latchkey.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error responses as RFC 9457 problem details ({@code application/problem+json}) with Latchkey's
 * {@code code} and the request's {@code trace_id}. Only the public message goes out.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public void write(Context ctx, LatchkeyException e) {
        write(ctx, e.code(), e.publicMessage(), e.retryAfterSeconds());
    }

    public void write(Context ctx, ErrorCode code, String message, long retryAfterSeconds) {
        TraceContext trace = ctx.attribute(HttpApp.TRACE);
        if (retryAfterSeconds > 0) {
            ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        }
        if (code == ErrorCode.PAYLOAD_TOO_LARGE) {
            // the rest of the body was never read, so this connection cannot carry another request: say so, or a
            // client reusing it would find it closed under its next request (RFC 9112 §9.6, RFC 9110 §15.5.14)
            ctx.header("Connection", "close");
        }
        if (code.httpStatus() == 401) {
            // RFC 6750 §3: a challenge on every 401; error="invalid_token" only when a token was presented
            ctx.header("WWW-Authenticate", ctx.header("Authorization") == null
                    ? "Bearer realm=\"latchkey\""
                    : "Bearer realm=\"latchkey\", error=\"invalid_token\"");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(code.httpStatus()).contentType(CONTENT_TYPE).result(body(code, message, trace == null ? null : trace.traceId()));
    }

    /** The document itself: {@code type title status code} and, when given, {@code detail} and {@code trace_id}. */
    public byte[] body(ErrorCode code, String message, String traceId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:latchkey:problem:" + code.wireName());
        body.put("title", code.description());
        body.put("status", code.httpStatus());
        body.put("code", code.wireName());
        if (message != null && !message.equals(code.description())) {
            body.put("detail", message);
        }
        if (traceId != null) {
            body.put("trace_id", traceId);
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a map of strings and numbers always serialises", ex);
        }
    }
}
