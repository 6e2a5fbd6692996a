package dev.latchkey.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's nginx started by a test: a generated configuration in a temporary prefix folder, {@code daemon off},
 * stopped by its own process handle. Without nginx the test fails when {@code CI=true} and is skipped, loudly,
 * elsewhere.
 */
final class Nginx implements AutoCloseable {
    private static final Path BINARY = Path.of(System.getenv().getOrDefault("LATCHKEY_TEST_NGINX", "/usr/sbin/nginx"));

    final Path prefix;
    final int port;
    private final Process process;

    private Nginx(Path prefix, int port, Process process) {
        this.prefix = prefix;
        this.port = port;
        this.process = process;
    }

    static void requireInstalled() {
        if (!Files.isExecutable(BINARY)) {
            String msg = "nginx not found at " + BINARY + " (apt-get install -y nginx-light)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + " (CI=true: nginx tests must run)");
            }
            System.err.println("*** SKIPPING nginx test: " + msg + " ***");
            Assumptions.abort(msg);
        }
    }

    /** Starts nginx with {@code serverBlock} (the inside of one {@code server {}} listening on {@code port}). */
    static Nginx start(int port, String serverBlock) throws IOException, InterruptedException {
        requireInstalled();
        Path dir = Files.createTempDirectory("latchkey-nginx");
        for (String t : new String[] {"body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            Files.createDirectories(dir.resolve("tmp").resolve(t));
        }
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    server {
                        listen 127.0.0.1:%2$d;
                        %3$s
                    }
                }
                """.formatted(dir, port, serverBlock));
        Process p = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx n = new Nginx(dir, port, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            if (!p.isAlive()) {
                String log = Files.readString(dir.resolve("stdout.log")) + Files.readString(dir.resolve("error.log"));
                throw new IllegalStateException("nginx exited: " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return n;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    n.close();
                    throw new IllegalStateException("nginx did not listen on " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() {
        process.destroy();                  // SIGTERM to the master we started: fast shutdown
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
