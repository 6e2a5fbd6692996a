package dev.latchkey.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over one plain socket, for tests of connection reuse: requests are written by hand (a body may be sent from
 * another thread while the response is read) and responses parsed by Content-Length or chunked framing, so a test sees
 * exactly what happens to the connection after an answer — reused, announced closed, or closed without a word.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    final String host;

    RawHttp(String base) throws IOException {
        URI u = URI.create(base);
        socket = new Socket("127.0.0.1", u.getPort());
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        host = u.getRawAuthority();
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean announcesClose() {
            String c = header("connection");
            return c != null && c.toLowerCase(Locale.ROOT).contains("close");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Writes the request line and headers (each "Name: value"); the caller sends any body with {@link #body}. */
    void head(String requestLine, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(requestLine).append("\r\nHost: ").append(host).append("\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        out.write(b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Sends {@code size} bytes of body in 16 KiB pieces (as one chunk each when {@code chunked}) on a virtual thread, so
     * the response can be read while the body is still going out; a peer that stops reading just ends the sending.
     */
    Thread body(long size, boolean chunked) {
        return Thread.ofVirtual().start(() -> {
            byte[] piece = new byte[16 * 1024];
            java.util.Arrays.fill(piece, (byte) 'b');
            try {
                for (long sent = 0; sent < size; sent += piece.length) {
                    int n = (int) Math.min(piece.length, size - sent);
                    if (chunked) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.write(piece, 0, n);
                    if (chunked) {
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
                if (chunked) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (IOException e) {
                // the peer closed: what it answered is read by the test
            }
        });
    }

    /** Reads one response; null when the connection ended before a status line arrived. */
    Response read() throws IOException {
        String status = line();
        if (status == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(); h != null && !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.merge(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int n = Integer.parseInt(line().split(";")[0].strip(), 16); n > 0; n = Integer.parseInt(line().split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(n));
                line();
            }
            for (String t = line(); t != null && !t.isEmpty(); t = line()) {
                // trailers
            }
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, body.toByteArray());
    }

    /** True when the peer has closed the connection (end of stream, or a reset). */
    boolean closedByPeer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] l = b.toByteArray();
                int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
                return new String(l, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
