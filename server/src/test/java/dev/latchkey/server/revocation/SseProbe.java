package dev.latchkey.server.revocation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a text/event-stream over a real socket, frame by frame (the lines up to a blank line), so tests
 * can assert the exact wire format. A background thread reads; {@link #next(Duration)} waits for a frame.
 */
final class SseProbe implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> END = List.of("<end of stream>");

    final HttpResponse<InputStream> response;
    private final BlockingQueue<List<String>> frames = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseProbe(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    static SseProbe open(String url, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return new SseProbe(CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            List<String> frame = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty()) {
                    frames.add(List.copyOf(frame));
                    frame.clear();
                } else {
                    frame.add(line);
                }
            }
        } catch (IOException e) {
            // closed by us or by the server
        } finally {
            frames.add(END);
        }
    }

    /** The next frame's lines, or an AssertionError when none comes in time. */
    List<String> next(Duration timeout) throws InterruptedException {
        List<String> f = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no event within " + timeout);
        }
        return f;
    }

    /** The next frame that is not a ping comment. */
    List<String> nextEvent(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> f = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (!f.equals(List.of(": ping"))) {
                return f;
            }
        }
    }

    boolean ended(List<String> frame) {
        return frame == END;
    }

    static String field(List<String> frame, String name) {
        for (String l : frame) {
            if (l.startsWith(name + ": ")) {
                return l.substring(name.length() + 2);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
        reader.interrupt();
    }
}
