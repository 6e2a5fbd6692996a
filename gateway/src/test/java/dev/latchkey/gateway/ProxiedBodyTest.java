package dev.latchkey.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.server.ProtocolErrorsTest;
import dev.latchkey.testkit.ParserRefusals;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proxied request bodies over kept-alive connections: the gateway's own limit ({@code LATCHKEY_GATEWAY_PROXY_BODY_MAX})
 * is a 413 problem document saying {@code Connection: close}, and an early answer (an upstream's 413 after part of the
 * body, the gateway's 401) never leaves a client to lose its next request on a connection the gateway then drops: the
 * connection either carries the next request or is announced closed. Driven by a raw socket, so each test sees what
 * happens to the one connection, and by the JDK HttpClient reusing its pool.
 */
class ProxiedBodyTest {
    static final int MiB = 1024 * 1024;

    static GatewayFixture f;
    static String cookie;
    /** A node with a 1 MiB limit next to the fixture's default one (10 MiB), on the same sessions. */
    static GatewayServer small;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture(Map.of(), Map.of());
        small = f.node(0, Map.of("LATCHKEY_GATEWAY_PROXY_BODY_MAX", "1MiB"), f.clock);
        GatewayFixture.Browser b = f.new Browser();
        assertThat(b.signIn(f.newUser(), "/").status()).isEqualTo(303);
        cookie = "Cookie: __Host-lk-session=" + b.session();
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    void aProxiedBodyWhoseChunkingDoesNotParseIsTheClientsMalformedRequestNotABadGateway() throws Exception {
        ParserRefusals.Refusal c = new ParserRefusals.Refusal("bad chunk in a proxied body", "POST /api/notes HTTP/1.1\r\nHost: localhost\r\n"
                + cookie + "\r\nX-CSRF: 1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                400, "malformed_request");
        ProtocolErrorsTest.assertProblem(dev.latchkey.testkit.RawHttp.exchange(f.gateway.port(), c.request()), c);
    }

    @Test
    void anUpstreamsEarly413IsRelayedAndTheConnectionIsNotLeftToFailTheNextRequest() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            try (RawHttp c = new RawHttp(f.gateway.baseUrl())) {
                c.head("POST /api/notes/limited HTTP/1.1", cookie, "X-CSRF: 1", "Content-Type: application/octet-stream",
                        chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + 2 * MiB);
                c.body(2 * MiB, chunked);
                RawHttp.Response r = c.read();
                assertThat(r).as("chunked=" + chunked).isNotNull();
                // the upstream closes its connection with the rest of the body unread (no lingering close, as Jetty
                // does), which may reset it under the gateway before the 413 is read: then the gateway's own 502
                assertThat(r.status()).isIn(413, 502);
                if (r.status() == 413) {
                    assertThat(r.text()).contains("upstream_too_large");
                    assertThat(r.announcesClose()).as("the upstream's Connection: close is relayed with its early answer").isTrue();
                } else {
                    assertThat(r.text()).contains("\"code\":\"bad_gateway\"");
                }
                assertNextRequestIsNotLost(c, r);
            }
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIsTheGateways413WithConnectionCloseAndNeverReachesTheUpstream() throws Exception {
        int calls = f.api.calls.get();
        try (RawHttp c = new RawHttp(small.baseUrl())) {
            c.head("POST /api/notes HTTP/1.1", cookie, "X-CSRF: 1", "Content-Type: application/octet-stream", "Content-Length: " + 2 * MiB);
            c.body(2 * MiB, false);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("content-type")).startsWith("application/problem+json");
            assertThat(r.text()).contains("\"code\":\"payload_too_large\"", "\"trace_id\"");
            assertThat(r.announcesClose()).isTrue();
            assertNextRequestIsNotLost(c, r);
        }
        assertThat(f.api.calls.get()).as("upstream calls").isEqualTo(calls);
    }

    @Test
    void aChunkedBodyGrowingOverTheLimitIsTheGateways413WithConnectionClose() throws Exception {
        try (RawHttp c = new RawHttp(small.baseUrl())) {
            c.head("POST /api/notes/upload HTTP/1.1", cookie, "X-CSRF: 1", "Content-Type: application/octet-stream",
                    "Transfer-Encoding: chunked");
            c.body(2 * MiB, true);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.text()).contains("\"code\":\"payload_too_large\"");
            assertThat(r.announcesClose()).isTrue();
            assertNextRequestIsNotLost(c, r);
        }
    }

    @Test
    void bodiesUpToTheLimitAreForwardedAndTheConnectionCarriesTheNextRequest() throws Exception {
        for (boolean chunked : new boolean[] {false, true}) {
            try (RawHttp c = new RawHttp(small.baseUrl())) {
                c.head("POST /api/notes/upload HTTP/1.1", cookie, "X-CSRF: 1", "Content-Type: application/octet-stream",
                        chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + MiB);
                c.body(MiB, chunked).join();
                RawHttp.Response r = c.read();
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                assertThat(r.text()).isEqualTo(Integer.toString(MiB));
                assertThat(r.announcesClose()).as("a body read whole leaves the connection reusable").isFalse();
                assertNextRequestIsNotLost(c, r);
            }
        }
    }

    @Test
    void aBodySentWithoutASessionIs401AndTheConnectionIsNotLeftToFailTheNextRequest() throws Exception {
        try (RawHttp c = new RawHttp(f.gateway.baseUrl())) {
            c.head("POST /api/notes HTTP/1.1", "X-CSRF: 1", "Content-Type: application/octet-stream", "Content-Length: " + 2 * MiB);
            c.body(2 * MiB, false);
            RawHttp.Response r = c.read();
            assertThat(r.status()).isEqualTo(401);
            assertNextRequestIsNotLost(c, r);
        }
    }

    @Test
    void aJdkHttpClientReusingItsConnectionsAfterEarlyAnswersLosesNoRequest() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String session = cookie.substring("Cookie: ".length());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> early = client.send(HttpRequest.newBuilder(URI.create(f.gateway.baseUrl() + "/api/notes/limited"))
                    .header("Cookie", session).header("X-CSRF", "1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * MiB])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(early.statusCode()).isIn(413, 502);
            HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/api/notes"))
                    .header("Cookie", session).header("X-CSRF", "1")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * MiB])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(413);
            for (String node : new String[] {f.gateway.baseUrl(), small.baseUrl()}) {
                HttpResponse<String> next = client.send(HttpRequest.newBuilder(URI.create(node + "/api/notes")).header("Cookie", session)
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            }
        }
    }

    /** After {@code r}: the connection was announced closed and is, or it answers the next request. */
    private static void assertNextRequestIsNotLost(RawHttp c, RawHttp.Response r) throws IOException {
        if (r.announcesClose()) {
            assertThat(c.closedByPeer()).as("announced closed, so closed").isTrue();
            return;
        }
        c.head("GET /api/notes HTTP/1.1", cookie);
        RawHttp.Response next = c.read();
        assertThat(next).as("the next request on the reused connection got an answer").isNotNull();
        assertThat(next.status()).isIn(200, 401);
    }
}
