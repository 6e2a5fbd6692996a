package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.testkit.ParserRefusals;
import dev.latchkey.testkit.RawHttp;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests Jetty refuses before any route runs (it cannot parse them) are answered like every other error: an
 * RFC 9457 problem document with {@code code} and {@code trace_id}, never Jetty's HTML page; the connection is
 * closed, and says so.
 */
public class ProtocolErrorsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static TestServer server;
    static int port;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        port = URI.create(server.base).getPort();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<ParserRefusals.Refusal> refusals() {
        return ParserRefusals.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void jettysOwnRefusalsAreProblemDocuments(ParserRefusals.Refusal c) throws Exception {
        RawHttp.Response r = RawHttp.exchange(port, c.request());
        assertProblem(r, c);
        assertThat(r.header("x-content-type-options")).hasValue("nosniff");
        assertThat(r.header("referrer-policy")).hasValue("no-referrer");
    }

    /** What the server and the gateway both promise for a refused request. */
    public static void assertProblem(RawHttp.Response r, ParserRefusals.Refusal c) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
        assertThat(r.header("content-type")).as(r.toString()).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("type").asText()).isEqualTo("urn:latchkey:problem:" + c.code());
        assertThat(body.path("code").asText()).isEqualTo(c.code());
        assertThat(body.path("status").asInt()).isEqualTo(c.status());
        assertThat(body.path("title").asText()).isNotBlank();
        assertThat(body.path("trace_id").asText()).matches("[0-9a-f]{32}");
        assertThat(r.header("x-trace-id")).hasValue(body.path("trace_id").asText());
        assertThat(r.header("cache-control")).hasValue("no-store");
        assertThat(r.header("connection")).as("the rest of the request was not read: the connection ends, and says so").hasValue("close");
        assertThat(r.closedAfter()).isTrue();
    }

    @Test
    void aBodyWhoseChunkingDoesNotParseIsAMalformedRequestNotAServerError() throws Exception {
        ParserRefusals.Refusal c = new ParserRefusals.Refusal("bad chunk in a body", "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "malformed_request");
        assertProblem(RawHttp.exchange(port, c.request()), c);
    }

    @Test
    void aWellFormedRequestOnTheSameListenerIsUnaffected() throws Exception {
        RawHttp.Response r = RawHttp.exchange(port, "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"up\"");
    }
}
