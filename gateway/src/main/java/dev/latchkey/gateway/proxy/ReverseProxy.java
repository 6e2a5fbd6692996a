package dev.latchkey.gateway.proxy;

import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import dev.latchkey.gateway.assertion.AssertionSigner;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.http.Cookies;
import dev.latchkey.gateway.http.Problems;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming reverse proxy on the JDK HttpClient (HTTP/1.1 to upstreams). Request and response bodies are streamed,
 * not buffered, except a small request body with a Content-Length (up to {@code retryBodyMax}), which is buffered so
 * the request can be sent again once after an upstream 401. Request bodies larger than {@code bodyMax} (declared, or
 * counted as they stream) are refused with 413; an answer given before the client's body was read whole closes the
 * connection and says so.
 *
 * <p>RFC 9110 §7.6.1: hop-by-hop headers (Connection and the fields it names, Keep-Alive, Proxy-*, TE, Trailer,
 * Transfer-Encoding, Upgrade) are not forwarded either way. The browser's Authorization, Latchkey-Assertion,
 * Forwarded/X-Forwarded-* and traceparent are never forwarded: the gateway sets its own. Cookies: API routes get
 * none and cannot set any; the frontend gets the browser's cookies except the gateway's and may set its own, but
 * never one named like a gateway cookie.
 */
public final class ReverseProxy {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseProxy.class);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "proxy-connection", "te", "trailer", "trailers", "transfer-encoding", "upgrade");
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "expect", "cookie", "authorization",
            "latchkey-assertion", "forwarded", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-real-ip", "traceparent", "http2-settings", "x-api-key");
    private static final Set<String> NOT_RETURNED = Set.of("content-length", "date", "server");

    private final HttpClient http;
    private final Duration timeout;
    private final int retryBodyMax;
    private final long bodyMax;
    private final URI publicUrl;

    public ReverseProxy(GatewayConfig.Proxy cfg, URI publicUrl) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.timeout = cfg.upstreamTimeout();
        this.retryBodyMax = Math.min(cfg.retryBodyMax(), cfg.bodyMax());
        this.bodyMax = cfg.bodyMax();
        this.publicUrl = publicUrl;
    }

    /**
     * RFC 9110 §15.5.14: a request declaring a body larger than the proxy forwards is answered 413 (with
     * {@code Connection: close}) before anything else is done for it, and the body is never forwarded; true if so.
     */
    public boolean refusedAsTooLarge(Context ctx) throws IOException {
        long length = ctx.req().getContentLengthLong();
        if (length <= bodyMax) {
            return false;
        }
        refuse(ctx, new ClientBody(ctx.req().getInputStream(), length, bodyMax), GatewayError.PAYLOAD_TOO_LARGE);
        return true;
    }

    /**
     * Answers a problem while the client's body is still unread: sent at once with {@code Connection: close}, then the
     * client may finish sending what it started before the connection closes.
     */
    private static void refuse(Context ctx, ClientBody body, GatewayError error) throws IOException {
        ctx.header("Connection", "close");
        Problems.writeNow(ctx, error);
        body.discardRest();
    }

    /** What the caller adds to the upstream request: a Bearer token (API) or an assertion (frontend), or nothing. */
    public record Identity(Optional<String> bearer, Optional<String> assertion) {
        public static final Identity NONE = new Identity(Optional.empty(), Optional.empty());
    }

    /** Called once when an upstream answers 401 to a Bearer request; returns the identity to retry with, if any. */
    @FunctionalInterface
    public interface OnUnauthorized {
        Optional<Identity> retryWith();
    }

    public void forward(Context ctx, URI upstream, boolean api, String traceparent, Identity identity, OnUnauthorized onUnauthorized)
            throws IOException {
        String method = ctx.method().name();
        String query = ctx.req().getQueryString();
        String path = ctx.req().getRequestURI();
        URI target;
        try {
            target = new URI(upstream + path + (query == null ? "" : "?" + query));
        } catch (java.net.URISyntaxException e) {
            throw new GatewayException(GatewayError.MALFORMED_REQUEST, "unforwardable request target");
        }
        long length = ctx.req().getContentLengthLong();
        boolean chunked = ctx.header("Transfer-Encoding") != null;
        if (refusedAsTooLarge(ctx)) {
            return;
        }
        ClientBody body = new ClientBody(ctx.req().getInputStream(), chunked ? -1 : Math.max(length, 0), bodyMax);
        byte[] buffered = null;
        if (!chunked && length >= 0 && length <= retryBodyMax) {
            try {
                buffered = body.readAll((int) length);
            } catch (IOException e) {
                throw new GatewayException(GatewayError.MALFORMED_REQUEST, "request body could not be read: " + e.getMessage(), e);
            }
        }
        boolean replayable = buffered != null || (!chunked && length <= 0);
        HttpResponse<InputStream> r;
        try {
            r = send(ctx, target, method, api, traceparent, identity, body, buffered, length, chunked);
            if (r.statusCode() == 401 && identity.bearer().isPresent() && replayable) {
                Optional<Identity> retry = onUnauthorized.retryWith();
                if (retry.isPresent()) {
                    r.body().close();
                    r = send(ctx, target, method, api, traceparent, retry.get(), body, buffered, length, chunked);
                }
            }
        } catch (GatewayException e) {
            if (body.ended()) {
                throw e;                                  // answered as a problem as usual; the connection stays usable
            }
            // a chunked body grew past the limit (413), or the upstream failed or reset the connection mid-body (502, 504)
            if (e.error().status() >= 500) {
                LOG.warn("{} {} -> {}: {}", method, path, e.error().wireName(), e.getMessage());
            }
            refuse(ctx, body, e.error());
            return;
        }
        boolean bodyRead = body.ended();
        respond(ctx, r, api, upstream, bodyRead, chunked || length > 0);
        if (!bodyRead) {
            body.discardRest();
        }
    }

    private HttpResponse<InputStream> send(Context ctx, URI target, String method, boolean api, String traceparent, Identity id,
                                           ClientBody clientBody, byte[] buffered, long length, boolean chunked) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout);
        Set<String> named = connectionTokens(ctx.req().getHeaders("Connection"));
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || NOT_FORWARDED.contains(lower) || named.contains(lower)) {
                continue;
            }
            for (String v : Collections.list(ctx.req().getHeaders(name))) {
                try {
                    b.header(name, v);
                } catch (IllegalArgumentException restricted) {
                    // a header the JDK client sets itself
                }
            }
        }
        if (!api) {
            String cookies = Cookies.withoutGatewayCookies(ctx);
            if (cookies != null) {
                b.header("Cookie", cookies);
            }
        }
        id.bearer().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        id.assertion().ifPresent(a -> b.header(AssertionSigner.HEADER, a));
        b.header("traceparent", traceparent);
        b.header("X-Forwarded-For", ctx.req().getRemoteAddr());
        b.header("X-Forwarded-Proto", publicUrl.getScheme());
        b.header("X-Forwarded-Host", publicUrl.getRawAuthority());
        HttpRequest.BodyPublisher body;
        if (buffered != null) {
            body = buffered.length == 0 && length <= 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(buffered);
        } else if (chunked || length > 0) {
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> clientBody);
            body = chunked ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, length);
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        b.method(method, body);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new GatewayException(GatewayError.UPSTREAM_TIMEOUT, "upstream " + target.getRawAuthority() + " timed out", e);
        } catch (ConnectException e) {
            throw new GatewayException(GatewayError.BAD_GATEWAY, "upstream " + target.getRawAuthority() + " refused: " + e, e);
        } catch (IOException e) {
            if (clientBody.exceeded()) {
                throw new GatewayException(GatewayError.PAYLOAD_TOO_LARGE, "streamed request body over " + bodyMax + " bytes", e);
            }
            if (clientBody.unreadable()) {
                throw new GatewayException(GatewayError.MALFORMED_REQUEST, "request body could not be read: " + e.getMessage(), e);
            }
            throw new GatewayException(GatewayError.BAD_GATEWAY, "upstream " + target.getRawAuthority() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(GatewayError.BAD_GATEWAY, "interrupted");
        }
    }

    /**
     * Relays the upstream's answer. {@code bodyRead}: the client's request body has been read to its end; if not (the
     * upstream answered early, e.g. 413 after part of it), the rest will never be read, so the connection cannot carry
     * another request — the answer says {@code Connection: close} and the connection is closed after it, instead of
     * closing without a word under a client that would reuse it (RFC 9112 §9.6, §9.3). An upstream's
     * {@code Connection: close} after a request with a body is relayed too: it marks such an early answer even when the
     * body happened to have been read (into socket buffers) whole.
     */
    private void respond(Context ctx, HttpResponse<InputStream> r, boolean api, URI upstream, boolean bodyRead, boolean hadBody)
            throws IOException {
        ctx.status(r.statusCode());
        HttpHeaders h = r.headers();
        Set<String> named = new HashSet<>();
        h.allValues("connection").forEach(v -> named.addAll(tokens(v)));
        if (!bodyRead || (hadBody && named.contains("close"))) {
            ctx.res().setHeader("Connection", "close");
        }
        for (Map.Entry<String, List<String>> e : h.map().entrySet()) {
            String lower = e.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || NOT_RETURNED.contains(lower) || named.contains(lower) || lower.startsWith(":")) {
                continue;
            }
            for (String v : e.getValue()) {
                if (lower.equals("set-cookie") && (api || Cookies.isLatchkeys(v))) {
                    continue;
                }
                if (lower.equals("content-type")) {
                    ctx.res().setContentType(v);
                } else if (lower.equals("location") && v.startsWith(upstream.toString())) {
                    // an upstream's absolute redirect to itself is rewritten to the public origin (it is not reachable)
                    ctx.res().addHeader(e.getKey(), origin() + v.substring(upstream.toString().length()));
                } else {
                    ctx.res().addHeader(e.getKey(), v);
                }
            }
        }
        h.firstValueAsLong("content-length").ifPresent(ctx.res()::setContentLengthLong);
        try (InputStream in = r.body()) {
            if (ctx.method().name().equals("HEAD")) {
                return;
            }
            OutputStream out = ctx.res().getOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (in.available() == 0) {
                    out.flush();          // stream (e.g. server-sent events) rather than wait for a full buffer
                }
            }
            out.flush();
        }
    }

    private String origin() {
        return publicUrl.getScheme() + "://" + publicUrl.getRawAuthority();
    }

    private static Set<String> connectionTokens(java.util.Enumeration<String> values) {
        Set<String> out = new HashSet<>();
        while (values != null && values.hasMoreElements()) {
            out.addAll(tokens(values.nextElement()));
        }
        return out;
    }

    private static Set<String> tokens(String v) {
        Set<String> out = new HashSet<>();
        for (String t : v.split(",")) {
            if (!t.isBlank()) {
                out.add(t.strip().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
