package dev.latchkey.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that forwards bytes to a target and injects network faults into chosen exchanges, as a
 * flaky network or a proxy in front of a server would: the request reaches the target whole, and then its answer is
 * lost (the connection reset), swallowed (the connection stays open and silent), delayed, or replaced by a proxy's
 * own 502/503/504. An exchange is chosen by a marker, a string its request bytes contain (e.g.
 * {@code grant_type=refresh_token}); everything else passes untouched. HTTP/1.1 without pipelining is assumed: the
 * bytes the target sends after a marked request are that request's answer.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start()) {
 *     proxy.target("127.0.0.1", serverPort);
 *     proxy.onNext("grant_type=refresh_token", 1, new FaultProxy.DropAnswer());
 *     ... // the client's next refresh is processed by the server, and its answer never arrives
 *     assertThat(proxy.applied()).isEqualTo(1);
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    /** What happens to the answer of a marked request (the request itself always reaches the target). */
    public sealed interface Fault permits DropAnswer, SwallowAnswer, DelayAnswer, ReplaceAnswer {
    }

    /** The answer is never relayed: as soon as it starts, both connections are reset (the client sees a reset). */
    public record DropAnswer() implements Fault {
    }

    /** The answer is read and discarded; the client's connection stays open and silent until the client gives up. */
    public record SwallowAnswer() implements Fault {
    }

    /** The answer is relayed {@code delay} late. */
    public record DelayAnswer(Duration delay) implements Fault {
        public DelayAnswer {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** The answer is discarded and the client gets {@code status} (as a proxy in front says 502, 503 or 504), then a close. */
    public record ReplaceAnswer(int status) implements Fault {
        public ReplaceAnswer {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("a proxy's failure status is 5xx");
            }
        }
    }

    private record Armed(String marker, AtomicInteger left, Fault fault) {
    }

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile InetSocketAddress target;
    private volatile Armed armed;
    private volatile boolean closed;

    private FaultProxy(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on a free port of 127.0.0.1; connections are refused (closed at once) until {@link #target} is set. */
    public static FaultProxy start() throws IOException {
        FaultProxy p = new FaultProxy(new ServerSocket(0, 64, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().name("fault-proxy-accept").start(p::accept);
        return p;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://localhost:<port>}. */
    public String url() {
        return "http://localhost:" + port();
    }

    /** Where connections go from now on. */
    public void target(String host, int port) {
        this.target = new InetSocketAddress(host, port);
    }

    /**
     * The answers of the next {@code times} requests whose bytes contain {@code marker} meet {@code fault}; replaces
     * what was armed before.
     */
    public void onNext(String marker, int times, Fault fault) {
        if (marker.isEmpty() || times < 1) {
            throw new IllegalArgumentException("a marker and at least one time");
        }
        armed = new Armed(marker, new AtomicInteger(times), Objects.requireNonNull(fault, "fault"));
    }

    /** Nothing armed any more: everything passes. */
    public void heal() {
        armed = null;
    }

    /** How many answers met a fault so far. */
    public int applied() {
        return applied.get();
    }

    /** How many connections clients opened through the proxy so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;                                   // closed
            }
            connections.incrementAndGet();
            Thread.ofVirtual().name("fault-proxy-conn").start(() -> serve(client));
        }
    }

    private void serve(Socket client) {
        InetSocketAddress to = target;
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            if (to == null) {
                throw new IOException("no target yet");
            }
            upstream.connect(to, 5_000);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
            return;
        }
        Exchange x = new Exchange(client, upstream);
        Thread.ofVirtual().name("fault-proxy-answers").start(x::answers);
        x.requests();
    }

    /** One client connection and its upstream: requests flow in on this thread, answers back on another. */
    private final class Exchange {
        private final Socket client;
        private final Socket upstream;
        private final StringBuilder request = new StringBuilder();
        private volatile Fault pending;

        Exchange(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void requests() {
            byte[] buf = new byte[16 * 1024];
            boolean ended = false;
            try {
                InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    mark(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    out.write(buf, 0, n);
                    out.flush();
                }
                ended = true;
                if (!(pending instanceof SwallowAnswer)) {
                    upstream.shutdownOutput();        // the client is done sending; its answer may still come
                    return;
                }
            } catch (IOException e) {
                // either side went away
            }
            if (!ended || pending instanceof SwallowAnswer) {
                closeBoth();                          // a client waiting on a swallowed answer has given up
            }
        }

        /** Decides, before the bytes reach the target, whether this request's answer meets a fault. */
        private void mark(String chunk) {
            Armed a = armed;
            synchronized (request) {
                request.append(chunk);
                if (request.length() > 1 << 20) {
                    request.delete(0, request.length() - (1 << 16));
                }
                if (a != null && pending == null && request.indexOf(a.marker()) >= 0 && a.left().getAndDecrement() > 0) {
                    pending = a.fault();
                    request.setLength(0);
                }
            }
        }

        void answers() {
            byte[] buf = new byte[16 * 1024];
            try {
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (request) {
                        request.setLength(0);             // the next request starts after this answer
                    }
                    Fault f = pending;
                    if (f == null) {
                        out.write(buf, 0, n);
                        out.flush();
                        continue;
                    }
                    applied.incrementAndGet();
                    switch (f) {
                        case DropAnswer d -> {
                            client.setSoLinger(true, 0);  // a reset, not an orderly close
                            closeBoth();
                            return;
                        }
                        case SwallowAnswer s -> {
                            while (in.read(buf) >= 0) {
                                // discarded; the client hears nothing until it gives up and closes
                            }
                            closeQuietly(upstream);
                            return;
                        }
                        case DelayAnswer d -> {
                            pending = null;
                            Thread.sleep(d.delay());
                            out.write(buf, 0, n);
                            out.flush();
                        }
                        case ReplaceAnswer r -> {
                            out.write(("HTTP/1.1 " + r.status() + " Proxy Fault\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
                                    + "Connection: close\r\n\r\nproxy fault").getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                            closeBoth();
                            return;
                        }
                    }
                }
            } catch (IOException e) {
                // either side went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!(pending instanceof SwallowAnswer)) {
                closeBoth();
            }
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Stops listening and closes every connection it relays. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(FaultProxy::closeQuietly);
        open.clear();
    }
}
