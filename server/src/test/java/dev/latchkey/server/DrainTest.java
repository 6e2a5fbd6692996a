package dev.latchkey.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a server drains it: it takes no new connection, a new request on an open connection is turned away (a 503
 * problem document, or the connection closes if it had been idle past Jetty's shutdown idle timeout), and a request
 * already in flight — here one held in the database by a lock the test takes — finishes with its whole answer
 * before the server stops.
 */
class DrainTest {
    @Test
    void aRequestInFlightFinishesWhileNewOnesAreTurnedAway() throws Exception {
        TestServer ts = TestServer.start();
        int port = URI.create(ts.base).getPort();
        String body = "{\"email\":\"nobody@example.test\",\"password\":\"not a real password\"}";
        try (Connection lock = DriverManager.getConnection(ts.db.jdbcUrl()); Socket inFlight = new Socket(); Socket idle = new Socket()) {
            idle.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            idle.setSoTimeout(60_000);
            assertThat(get(idle, "/health/live")).startsWith("HTTP/1.1 200");

            // a sign-in that will wait for the users table
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
            inFlight.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            inFlight.setSoTimeout(120_000);
            inFlight.getOutputStream().write(("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            inFlight.getOutputStream().flush();
            awaitLockWaiter(lock);

            CompletableFuture<Void> closing = CompletableFuture.runAsync(ts::close);
            awaitRefused(port);
            Optional<String> turnedAway = tryGet(idle, "/health/live");
            turnedAway.ifPresent(r -> assertThat(r).startsWith("HTTP/1.1 503")
                    .contains("application/problem+json", "\"code\":\"service_unavailable\"", "Connection: close"));
            assertThat(closing).as("the drain waits for the request in flight").isNotDone();

            lock.commit();
            String answer = readResponse(inFlight.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 401").contains("\"code\":\"invalid_credentials\"");
            closing.get(60, TimeUnit.SECONDS);
        } finally {
            ts.close();
        }
    }

    /** Waits until a backend of the server waits for the test's lock: the request is in flight. */
    private static void awaitLockWaiter(Connection c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the request never reached the database");
    }

    private static String get(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return readResponse(s.getInputStream());
    }

    /** The response, or empty when the server had closed the connection instead. */
    private static Optional<String> tryGet(Socket s, String path) {
        try {
            return Optional.of(get(s, path));
        } catch (IOException closed) {
            return Optional.empty();
        }
    }
    /** The status line, headers and body of one response (by its Content-Length). */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) c);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** Waits until the listener no longer accepts connections: the drain has begun. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the listener still accepts connections");
    }
}
