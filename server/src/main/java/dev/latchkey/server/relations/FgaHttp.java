package dev.latchkey.server.relations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.http.JsonBodies;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Locale;

/** The relations API's HTTP plumbing: strict JSON bodies, query parameters, JSON answers and OpenFGA-shaped errors. */
final class FgaHttp {
    private final JsonBodies bodies;
    private final FgaJson json;

    FgaHttp(JsonBodies bodies, FgaJson json) {
        this.bodies = bodies;
        this.json = json;
    }

    JsonNode body(Context ctx) {
        String ct = ctx.header("Content-Type");
        String base = ct == null ? "" : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw LatchkeyException.withMessage(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.", "content type");
        }
        byte[] bytes = bodies.bytes(ctx);
        if (bytes.length == 0) {
            throw FgaJson.invalid("the request body is empty");
        }
        try (var p = json.mapper().createParser(bytes)) {
            JsonNode n = json.mapper().readTree(p);
            if (n == null || !n.isObject()) {
                throw FgaJson.invalid("the body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw FgaJson.invalid("the body is not valid JSON");
        } catch (IOException e) {
            throw LatchkeyException.wrap(ErrorCode.MALFORMED_REQUEST, "reading the body", e);
        }
    }

    static JsonNode required(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            throw FgaJson.invalid("'" + field + "' is required");
        }
        return n;
    }

    static String token(Context ctx) {
        String t = ctx.queryParam("continuation_token");
        return t == null ? "" : t;
    }

    static int intQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw FgaJson.invalid("'" + name + "' must be a number");
        }
    }

    void write(Context ctx, int status, JsonNode body) {
        ctx.header("Cache-Control", "no-store");
        try {
            ctx.status(status).contentType("application/json").result(json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw LatchkeyException.wrap(ErrorCode.INTERNAL, "serialising a response", e);
        }
    }

    /** OpenFGA's error shape: {@code {"code": "...", "message": "..."}} with the code's HTTP status. */
    void error(Context ctx, LatchkeyException e) {
        ErrorCode code = e.code();
        if (code.httpStatus() == 401) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"latchkey\"");
        }
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        String message = code.httpStatus() >= 500 ? code.description() : e.publicMessage();
        write(ctx, code.httpStatus(), json.object().put("code", code.wireName()).put("message", message));
    }
}
