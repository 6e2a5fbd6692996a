package dev.latchkey.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP proxy in front of the Latchkey server (its public URL), as a load balancer or a retrying proxy would be,
 * that can hold the next refresh_token grant on its way in until the test releases it: the request reaches the
 * server when it reaches it, whatever happened meanwhile.
 */
final class HoldingProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String target;
    private volatile Hold hold;

    /** A held refresh: {@link #arrived()} once it reached the proxy, {@link #release()} to let it through. */
    static final class Hold {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void arrived() throws InterruptedException {
            if (!arrived.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("no refresh reached the proxy");
            }
        }

        void release() {
            released.countDown();
        }
    }

    HoldingProxy() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::relay);
        server.start();
    }

    /** What the server is told its public URL is. */
    String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Where requests go (the server's own address), once it is known. */
    void target(String base) {
        this.target = base;
    }

    /** Holds the next token request carrying {@code grant_type=refresh_token}. */
    Hold holdNextRefresh() {
        Hold h = new Hold();
        hold = h;
        return h;
    }

    private void relay(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (target == null) {
                ex.sendResponseHeaders(503, -1);   // the server is not known yet: come back later
                return;
            }
            String path = ex.getRequestURI().toString();
            Hold h = hold;
            if (h != null && path.startsWith("/oauth2/token") && new String(body, StandardCharsets.UTF_8).contains("grant_type=refresh_token")) {
                hold = null;
                h.arrived.countDown();
                if (!h.released.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the held refresh was never released");
                }
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + path)).timeout(Duration.ofSeconds(30))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> e : ex.getRequestHeaders().entrySet()) {
                if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                    e.getValue().forEach(v -> b.header(e.getKey(), v));
                }
            }
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            byte[] out = r.body();
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        Hold h = hold;
        if (h != null) {
            h.release();
        }
        server.stop(0);
    }
}
