package dev.latchkey.gateway.http;

import dev.latchkey.gateway.GatewayError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jetty answers by itself, before any route runs — a request line or header block its parser refuses (400
 * bad URI or header, 414, 431, 505) — as the gateway's RFC 9457 problem document with {@code code} and
 * {@code trace_id}, instead of Jetty's HTML error page. Installed as the Jetty server's error handler; the
 * connection is closed (the rest of it was never read) and the answer says {@code Connection: close}.
 */
final class ProtocolErrors implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolErrors.class);

    /** The error for a status Jetty chose; a status with no error of its own is answered as the closest one. */
    static GatewayError errorFor(int status) {
        return switch (status) {
            case 404 -> GatewayError.NOT_FOUND;
            case 405 -> GatewayError.METHOD_NOT_ALLOWED;
            case 413 -> GatewayError.PAYLOAD_TOO_LARGE;
            case 414 -> GatewayError.URI_TOO_LONG;
            case 431 -> GatewayError.HEADERS_TOO_LARGE;
            case 505 -> GatewayError.HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 500 ? GatewayError.INTERNAL : GatewayError.MALFORMED_REQUEST;
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e ? e.getCode() : response.getStatus();
        GatewayError error = errorFor(status);
        Trace trace = Trace.continueOrStart(request.getHeaders().get("traceparent"));
        // Jetty's reason is about the sender's bytes: for the debug log only, never echoed
        LOG.debug("{} refused by the HTTP parser: {} ({}), trace {}", status, error.wireName(),
                request.getAttribute(ErrorHandler.ERROR_MESSAGE), trace.traceId());
        response.setStatus(error.status());
        response.getHeaders().put("X-Trace-Id", trace.traceId());
        response.getHeaders().put("traceresponse", trace.traceparent());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        if (HttpStatus.hasNoBody(error.status())) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(Problems.body(error, trace.traceId()).getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
