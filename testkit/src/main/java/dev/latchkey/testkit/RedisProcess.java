package dev.latchkey.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Redis of the test's own, to stop and start again: {@code redis-server} (found on {@code PATH}, or at
 * {@code LATCHKEY_TEST_REDIS_SERVER}) as a child process on a free port, without persistence. Unlike
 * {@link TestRedis} (the shared one, never stopped) it can be taken away under a running node. Without the binary
 * the test fails when {@code CI=true} and is skipped, loudly, elsewhere.
 */
public final class RedisProcess implements AutoCloseable {
    private final Path binary;
    private final int port;
    private final Path log;
    private Process process;

    private RedisProcess(Path binary, int port, Path log) {
        this.binary = binary;
        this.port = port;
        this.log = log;
    }

    /** A free port and the binary, not started yet: {@link #url()} points at nothing until {@link #start()}. */
    public static RedisProcess prepare() throws IOException {
        Path binary = find().orElse(null);
        if (binary == null) {
            String msg = "redis-server not found on PATH (apt-get install -y redis-server) or at LATCHKEY_TEST_REDIS_SERVER";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + " (CI=true: Redis outage tests must run)");
            }
            System.err.println("*** SKIPPING Redis outage test: " + msg + " ***");
            Assumptions.abort(msg);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new RedisProcess(binary, port, Files.createTempFile("latchkey-redis-" + port, ".log"));
    }

    private static Optional<Path> find() {
        String explicit = System.getenv("LATCHKEY_TEST_REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts redis-server on the port and waits until it accepts connections. */
    public RedisProcess start() throws IOException, InterruptedException {
        if (running()) {
            return this;
        }
        process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (answersPing()) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("redis-server did not answer on port " + port);
            }
            Thread.sleep(20);
        }
    }

    /** Stops it (SIGTERM to the process this started) and waits until it is gone. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2_000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int n = s.getInputStream().readNBytes(reply, 0, 7);
            return n == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
