package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.testkit.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code latchkey server} as its own process, the way an orchestrator runs it: it starts and serves with its Redis
 * unreachable; {@code /metrics} is only on the management port; and SIGTERM drains it — the request in flight
 * gets its whole answer — after which it logs that it stopped and exits 0.
 */
class ServerProcessTest {
    @Test
    void sigtermDrainsTheRequestInFlightAndExitsZero() throws Exception {
        int port = freePort();
        int management = freePort();
        int deadRedis = freePort();                     // nothing listens there
        Path out = Files.createTempFile("latchkey-server", ".log");
        try (TestPostgres.Database db = TestPostgres.createDatabase()) {
            ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server")
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("LATCHKEY_") && !k.startsWith("LATCHKEY_TEST_"));
            env.put("LATCHKEY_DATABASE_URL", db.jdbcUrl());
            env.put("LATCHKEY_MASTER_KEY", MasterKey.generate().toBase64());
            env.put("LATCHKEY_HTTP_HOST", "127.0.0.1");
            env.put("LATCHKEY_HTTP_PORT", Integer.toString(port));
            env.put("LATCHKEY_PUBLIC_URL", "http://localhost:" + port);
            env.put("LATCHKEY_MANAGEMENT_PORT", Integer.toString(management));
            env.put("LATCHKEY_REDIS_URL", "redis://127.0.0.1:" + deadRedis);
            env.put("LATCHKEY_PASSWORDS_ARGON2_MEMORY_KIB", "256");
            env.put("LATCHKEY_PASSWORDS_ARGON2_ITERATIONS", "1");
            env.put("LATCHKEY_DATABASE_POOL_SIZE", "4");
            Process p = pb.start();
            try {
                HttpResponse<String> ready = awaitReady(p, management, out);
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).contains("\"status\":\"degraded\"", "\"redis\":\"down\"");
                assertThat(get(management, "/metrics").body()).contains("latchkey_redis_up 0.0");
                assertThat(get(port, "/metrics").statusCode()).isEqualTo(404);

                try (Connection lock = DriverManager.getConnection(db.jdbcUrl()); Socket inFlight = new Socket()) {
                    lock.setAutoCommit(false);
                    lock.createStatement().execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
                    String body = "{\"email\":\"nobody@example.test\",\"password\":\"not a real password\"}";
                    inFlight.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                    inFlight.setSoTimeout(120_000);
                    inFlight.getOutputStream().write(("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                    inFlight.getOutputStream().flush();
                    awaitLockWaiter(lock);

                    p.destroy();                            // SIGTERM
                    awaitRefused(port, p, out);
                    assertThat(p.isAlive()).as("the drain waits for the request in flight").isTrue();
                    lock.commit();
                    String answer = readResponse(inFlight.getInputStream());
                    assertThat(answer).startsWith("HTTP/1.1 401").contains("\"code\":\"invalid_credentials\"");
                }
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(log(out)).isTrue();
                assertThat(p.exitValue()).as(log(out)).isZero();
                assertThat(log(out)).contains("stopping (SIGTERM", "Latchkey shutting down", "Latchkey stopped after");
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> awaitReady(Process p, int port, Path out) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("latchkey server exited with " + p.exitValue() + ":\n" + log(out));
            }
            try {
                return get(port, "/health/ready");
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("latchkey server did not become ready:\n" + log(out));
    }

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

    private static void awaitRefused(int port, Process p, Path out) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("still accepting connections after SIGTERM:\n" + log(out));
    }

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

    private static String log(Path out) {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
