package dev.latchkey.server.revocation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes the {@code text/event-stream} format (HTML Living Standard §9.2.5 "Parsing an event stream"):
 * fields as {@code name: value} lines, an event ended by a blank line, comments starting with a colon.
 * Every call flushes, so an event leaves the server at once. Not thread-safe: one writer per stream.
 */
final class SseWriter {
    private final OutputStream out;

    SseWriter(OutputStream out) {
        this.out = out;
    }

    /** An event with an id (the client's last event ID, sent back as {@code Last-Event-ID} on reconnect). */
    void event(String id, String type, String data) throws IOException {
        StringBuilder b = new StringBuilder(data.length() + 48);
        if (id != null) {
            b.append("id: ").append(line(id)).append('\n');
        }
        b.append("event: ").append(line(type)).append('\n');
        b.append("data: ").append(line(data)).append("\n\n");
        write(b.toString());
    }

    /** A comment line: ignored by clients, keeps proxies and idle timeouts from closing the stream. */
    void comment(String text) throws IOException {
        write(": " + line(text) + "\n\n");
    }

    /** The reconnection time a client should wait after losing the stream (§9.2.6 {@code retry}). */
    void retry(Duration d) throws IOException {
        write("retry: " + d.toMillis() + "\n\n");
    }

    private void write(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A field value cannot hold a line break: it would end the field (and inject another). */
    private static String line(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event-stream field cannot contain a line break");
        }
        return value;
    }
}
