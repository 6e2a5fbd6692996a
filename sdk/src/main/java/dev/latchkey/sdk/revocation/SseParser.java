package dev.latchkey.sdk.revocation;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The event-stream interpretation of HTML Living Standard §9.2.6, line by line (the caller splits on CR,
 * LF or CRLF): {@code field: value} lines fill buffers, a blank line dispatches an event if it has data,
 * lines starting with a colon are comments. The last event ID persists across events, as the standard
 * says, and is what a reconnect sends as {@code Last-Event-ID}. Not thread-safe: one per stream.
 */
final class SseParser {
    /** A dispatched event: {@code type} is {@code message} unless an {@code event} field named another. */
    record Event(String lastEventId, String type, String data) {
    }

    private final Consumer<Event> sink;
    private final StringBuilder data = new StringBuilder();
    private String type = "";
    private String lastEventId = "";
    private long retryMillis = -1;
    private boolean first = true;

    SseParser(Consumer<Event> sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    void line(String line) {
        if (first) {
            first = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 12) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // unknown fields are ignored
            }
        }
    }

    private void dispatch() {
        if (data.isEmpty()) {
            type = "";
            return;
        }
        data.setLength(data.length() - 1);
        Event e = new Event(lastEventId, type.isEmpty() ? "message" : type, data.toString());
        data.setLength(0);
        type = "";
        sink.accept(e);
    }

    String lastEventId() {
        return lastEventId;
    }

    /** The server's reconnection time hint in milliseconds, or -1. */
    long retryMillis() {
        return retryMillis;
    }
}
