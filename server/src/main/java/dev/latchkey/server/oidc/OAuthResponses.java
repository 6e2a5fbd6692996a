package dev.latchkey.server.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.JsonResponses;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON responses of the OAuth endpoints: {@code no-store} always (RFC 6749 §5.1), errors as
 * {@code {"error","error_description"}} (§5.2) with the detail logged under the trace id.
 */
public final class OAuthResponses {
    private static final Logger LOG = LoggerFactory.getLogger(OAuthResponses.class);

    private final JsonResponses json;

    public OAuthResponses(ObjectMapper json) {
        this.json = new JsonResponses(json);
    }

    public void ok(Context ctx, Object body) {
        write(ctx, 200, body);
    }

    public void write(Context ctx, int status, Object body) {
        ctx.header("Pragma", "no-cache");
        json.write(ctx, status, body);
    }

    /** An OAuth error; invalid_client after Basic authentication gets 401 with a Basic challenge (§5.2). */
    public void error(Context ctx, LatchkeyException e) {
        ErrorCode code = e.code();
        if (code == ErrorCode.INTERNAL || code == ErrorCode.SERVICE_UNAVAILABLE) {
            throw e;
        }
        ErrorCode wire = oauthCode(code);
        int status = wire.httpStatus();
        if (wire == ErrorCode.INVALID_CLIENT) {
            String auth = ctx.header("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                ctx.header("WWW-Authenticate", "Basic realm=\"latchkey\"");
                status = 401;
            } else {
                status = 401;
            }
        }
        if (code == ErrorCode.RATE_LIMITED && e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        var t = HttpApp.trace(ctx);
        LOG.info("{} {} -> {}: {}", ctx.method(), ctx.path(), wire.wireName(), e.getMessage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", wire.wireName());
        body.put("error_description", e.publicMessage());
        if (t != null) {
            body.put("trace_id", t.traceId());
        }
        write(ctx, status, body);
    }

    /** Maps Latchkey's own codes onto the OAuth vocabulary where a protocol endpoint answers. */
    static ErrorCode oauthCode(ErrorCode c) {
        return switch (c) {
            case MALFORMED_REQUEST, VALIDATION_FAILED, UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE, CSRF_FAILED -> ErrorCode.INVALID_REQUEST;
            case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
            default -> c;
        };
    }
}
