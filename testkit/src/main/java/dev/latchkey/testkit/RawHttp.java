package dev.latchkey.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 spoken over a plain socket, for requests no client library will send: a URI that does not parse, an
 * unknown version, a header line without a colon. One request per connection; the response is read to its
 * {@code Content-Length} (or to the end of the connection); when it says {@code Connection: close}, whether the
 * server then really closed the connection is recorded.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** One response: status, header fields (names in lower case), body, and whether the connection ended after it. */
    public record Response(int status, Map<String, List<String>> headers, String body, boolean closedAfter) {
        public Optional<String> header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + body;
        }
    }

    /** Sends {@code request} exactly as given (ISO-8859-1 bytes) to 127.0.0.1:{@code port}. */
    public static Response exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response exchange(int port, byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before it has read everything (a header block too large): read the answer
            }
            InputStream in = s.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP response: " + lines[0]);
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).strip());
                }
            }
            List<String> length = headers.get("content-length");
            byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.get(0)));
            boolean saysClose = headers.getOrDefault("connection", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("close"));
            boolean closed = length == null || saysClose && endsNow(s, in);
            return new Response(Integer.parseInt(statusLine[1]), headers, new String(body, StandardCharsets.UTF_8), closed);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection ended before a response head: " + b.toString(StandardCharsets.ISO_8859_1));
            }
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                    : c == '\r' ? 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the server closes the connection (within a generous while) instead of waiting for another request. */
    private static boolean endsNow(Socket s, InputStream in) throws IOException {
        s.setSoTimeout(30_000);
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
