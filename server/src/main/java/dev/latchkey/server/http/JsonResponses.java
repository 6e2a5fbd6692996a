package dev.latchkey.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import io.javalin.http.Context;

/** JSON responses of the API endpoints: never cached (they carry tokens or account data). */
public final class JsonResponses {
    private final ObjectMapper json;

    public JsonResponses(ObjectMapper json) {
        this.json = json;
    }

    public void write(Context ctx, int status, Object body) {
        ctx.header("Cache-Control", "no-store");
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw LatchkeyException.wrap(ErrorCode.INTERNAL, "serialising a response", e);
        }
    }
}
