package dev.latchkey.testkit;

import java.util.List;

/**
 * Requests an HTTP/1.1 parser refuses before any route sees them, each with the status and problem {@code code}
 * Latchkey answers it with (the server and the gateway alike). Sent with {@link RawHttp}.
 */
public final class ParserRefusals {
    private ParserRefusals() {
    }

    /** One refused request. */
    public record Refusal(String name, String request, int status, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Refusal> all() {
        String host = "Host: localhost\r\n";
        return List.of(
                new Refusal("bad percent-encoding in the URI", "GET /%zz HTTP/1.1\r\n" + host + "\r\n", 400, "malformed_request"),
                new Refusal("control character in the URI", "GET /a\u0001b HTTP/1.1\r\n" + host + "\r\n", 400, "malformed_request"),
                new Refusal("URI longer than the header limit", "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\n" + host + "\r\n", 414,
                        "uri_too_long"),
                new Refusal("header block too large", "GET / HTTP/1.1\r\n" + host + "X-Big: " + "b".repeat(20_000) + "\r\n\r\n", 431,
                        "headers_too_large"),
                new Refusal("unknown HTTP version", "GET / HTTP/1.2\r\n" + host + "\r\n", 505, "http_version_not_supported"),
                new Refusal("header line without a colon", "GET / HTTP/1.1\r\n" + host + "Bad Header\r\n\r\n", 400, "malformed_request"),
                new Refusal("no Host in HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400, "malformed_request"),
                new Refusal("Content-Length not a number", "POST /api/auth/login HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n", 400,
                        "malformed_request"),
                new Refusal("unsupported transfer coding", "POST /api/auth/login HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\n", 400,
                        "malformed_request"));
    }
}
