package dev.latchkey.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.gateway.GatewayError;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** RFC 9457 problem details ({@code application/problem+json}) with the gateway's {@code code} and the trace id. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static void write(Context ctx, GatewayError e) {
        ctx.result(prepare(ctx, e));
    }

    /**
     * Like {@link #write}, but sent and flushed at once, for a handler with work left after answering (reading and
     * discarding the rest of a refused body, so the client is not reset before it reads the answer).
     */
    public static void writeNow(Context ctx, GatewayError e) throws IOException {
        byte[] body = prepare(ctx, e).getBytes(StandardCharsets.UTF_8);
        ctx.res().setContentLength(body.length);
        ctx.res().getOutputStream().write(body);
        ctx.res().flushBuffer();
    }

    /** Sets the status and headers of the problem; returns its body. */
    private static String prepare(Context ctx, GatewayError e) {
        if (e == GatewayError.PAYLOAD_TOO_LARGE) {
            // the rest of the body is never read, so this connection cannot carry another request: say so, or a client
            // reusing it would find it closed under its next request (RFC 9112 §9.6, RFC 9110 §15.5.14)
            ctx.header("Connection", "close");
        }
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Cookie realm=\"latchkey-gateway\"");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(e.status()).contentType(CONTENT_TYPE);
        Trace t = ctx.attribute(GatewayApp.TRACE);
        return body(e, t == null ? null : t.traceId());
    }

    /** The document itself: {@code type title status code} and, when known, {@code trace_id}. */
    static String body(GatewayError e, String traceId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "urn:latchkey:problem:" + e.wireName());
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("code", e.wireName());
        if (traceId != null) {
            body.put("trace_id", traceId);
        }
        return body.toString();
    }
}
