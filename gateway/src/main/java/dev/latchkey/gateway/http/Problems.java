package dev.latchkey.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latchkey.gateway.GatewayError;
import io.javalin.http.Context;

/** RFC 9457 problem details ({@code application/problem+json}) with the gateway's {@code code} and the trace id. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static void write(Context ctx, GatewayError e) {
        Trace t = ctx.attribute(GatewayApp.TRACE);
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Cookie realm=\"latchkey-gateway\"");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.status(e.status()).contentType(CONTENT_TYPE).result(body(e, t == null ? null : t.traceId()));
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
