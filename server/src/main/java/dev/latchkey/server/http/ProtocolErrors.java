package dev.latchkey.server.http;

import dev.latchkey.core.error.ErrorCode;
import java.nio.ByteBuffer;
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
 * bad URI or header, 414, 431, 505) — as the same RFC 9457 problem document every other error is, with a
 * {@code code}, a {@code trace_id} and the headers of every response, instead of Jetty's HTML error page.
 * Installed as the Jetty server's error handler. Such a connection is closed (the rest of it was never read), and
 * the answer says {@code Connection: close}.
 */
public final class ProtocolErrors implements Request.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolErrors.class);

    private final Problems problems;
    private final SecurityHeaders headers;

    public ProtocolErrors(Problems problems, SecurityHeaders headers) {
        this.problems = problems;
        this.headers = headers;
    }

    /** The code for a status Jetty chose; a status with no code of its own is answered as the closest one. */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
            case 505 -> ErrorCode.HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.MALFORMED_REQUEST;
        };
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof HttpException e ? e.getCode() : response.getStatus();
        ErrorCode code = codeFor(status);
        TraceContext trace = TraceContext.continueOrStart(request.getHeaders().get("traceparent"));
        // Jetty's reason (e.g. "Illegal character CNTL=0x1") is about the sender's bytes: for the debug log only, never echoed
        LOG.debug("{} {} refused by the HTTP parser: {} ({}), trace {}", request.getMethod(), status, code.wireName(),
                request.getAttribute(ErrorHandler.ERROR_MESSAGE), trace.traceId());
        response.setStatus(code.httpStatus());
        headers.everyResponse((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put("X-Trace-Id", trace.traceId());
        response.getHeaders().put("traceresponse", trace.traceparent());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        // what follows the refused part was never read, so the connection cannot carry another request: say so
        // (Jetty says it itself only for some refusals, not for a bad request line)
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        if (HttpStatus.hasNoBody(code.httpStatus())) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(problems.body(code, null, trace.traceId())), callback);
        return true;
    }
}
