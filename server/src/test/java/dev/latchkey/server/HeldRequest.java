package dev.latchkey.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request held back on its way into the server, deterministically: everything but the blank line
 * that ends its header block is written to the server's socket at once, so the server has the
 * request but cannot handle it until {@link #release()} sends that last line. This is what a
 * request delayed in transit (a slow network, a proxy retrying upstream, a busy node) looks like to
 * the server: it arrives when it arrives, whatever the client did meanwhile.
 */
public final class HeldRequest implements AutoCloseable {
    private final Socket socket;
    private final byte[] body;

    private HeldRequest(Socket socket, byte[] body) {
        this.socket = socket;
        this.body = body;
    }

    /** {@code POST path} with {@code headers} (name, value, …) and an empty body, held before its last line. */
    public static HeldRequest post(String base, String path, String... headers) {
        return post(base, path, new byte[0], headers);
    }

    /** {@code POST path} with {@code headers} (name, value, …), held before the blank line; {@code body} follows it. */
    public static HeldRequest post(String base, String path, byte[] body, String... headers) {
        URI u = URI.create(base);
        try {
            Socket s = new Socket(u.getHost(), u.getPort());
            s.setSoTimeout(60_000);
            StringBuilder b = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(u.getHost()).append(':').append(u.getPort()).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new HeldRequest(s, body);
        } catch (IOException e) {
            throw new AssertionError("could not send the held request: " + e, e);
        }
    }

    /** Lets the request through and returns the server's answer (status, headers, body). */
    public Http.Response release() {
        try {
            OutputStream out = socket.getOutputStream();
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new AssertionError("the held request failed: " + e, e);
        }
    }

    private static Http.Response parse(byte[] raw) throws IOException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete answer: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = dechunk(new java.io.ByteArrayInputStream(body));
        }
        return new Http.Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("truncated chunked body");
                }
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (n == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(n));
            in.skipNBytes(2);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to free
        }
    }
}
