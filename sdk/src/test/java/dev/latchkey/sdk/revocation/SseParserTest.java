package dev.latchkey.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-stream interpretation of HTML Living Standard §9.2.6, with the standard's own examples. */
class SseParserTest {
    final List<SseParser.Event> events = new ArrayList<>();
    final SseParser parser = new SseParser(events::add);

    void feed(String stream) throws IOException {
        FeedConnection.read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), parser::line);
    }

    @Test
    void dataLinesJoinWithNewlinesAndABlankLineDispatches() throws IOException {
        feed("data: YHOO\ndata: +2\ndata: 10\n\n");
        assertThat(events).containsExactly(new SseParser.Event("", "message", "YHOO\n+2\n10"));
    }

    @Test
    void commentsAreIgnoredAndTheIdPersistsAcrossEvents() throws IOException {
        feed(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n");
        assertThat(events).containsExactly(
                new SseParser.Event("1", "message", "first event"),
                new SseParser.Event("", "message", "second event"),     // an empty id field resets it
                new SseParser.Event("", "message", " third event"));    // only one leading space is dropped
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndItsTypeDoesNotLeak() throws IOException {
        feed("event: ready\n\ndata: x\n\nid: 7\nevent: revocation\ndata: {\"seq\":7}\n\n");
        assertThat(events).containsExactly(new SseParser.Event("", "message", "x"), new SseParser.Event("7", "revocation", "{\"seq\":7}"));
        assertThat(parser.lastEventId()).isEqualTo("7");
    }

    @Test
    void linesMayEndInCrLfOrCrAndAByteOrderMarkIsSkipped() throws IOException {
        feed("\uFEFFid: 3\r\nevent: revocation\rdata: a\r\n\r\ndata: b\r\r");
        assertThat(events).containsExactly(new SseParser.Event("3", "revocation", "a"), new SseParser.Event("3", "message", "b"));
    }

    @Test
    void fieldsWithoutColonRetryAndIdsWithNulFollowTheRules() throws IOException {
        feed("retry: 2500\n\nretry: soon\n\nid: 5\nid: bad\u0000id\ndata\n\n");
        assertThat(parser.retryMillis()).isEqualTo(2500);
        assertThat(events).containsExactly(new SseParser.Event("5", "message", ""));
    }

    @Test
    void anUnfinishedEventAtTheEndOfTheStreamIsDropped() throws IOException {
        feed("id: 9\nevent: revocation\ndata: {\"seq\":9}");
        assertThat(events).isEmpty();
    }
}
