package dev.latchkey.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Next.js example ({@code examples/nextjs}, built with {@code npm ci && npm run build}) in production mode:
 * {@code next start} as a child process on 127.0.0.1, configured for the gateway in front of it
 * ({@code LATCHKEY_GATEWAY_URL}, read by {@code @latchkey/next}). Needs Node 20.9 or later on the PATH.
 */
final class NextjsFrontend implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\..*");
    private static final int KEPT_LINES = 200;

    /** Where the built example is and which port {@code next start} listens on (reached only through the gateway). */
    record Options(Path dir, int port) {
        Options {
            Objects.requireNonNull(dir, "dir");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }
    }

    private final Process process;
    private final String url;
    private final Deque<String> lastLines = new ArrayDeque<>();

    private NextjsFrontend(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts {@code next start} and waits until it answers HTTP.
     *
     * @param gatewayUrl the gateway's public URL: the assertion issuer, and where browsers sign in
     * @param audience   the assertion's {@code aud} (the gateway's {@code LATCHKEY_GATEWAY_ASSERTION_AUDIENCE})
     * @param notesApi   the notes API's own origin, which the example's server calls with relayed tokens
     * @param output     receives each line Next.js prints
     */
    static NextjsFrontend start(Options options, String gatewayUrl, String audience, String notesApi, Consumer<String> output) {
        Path dir = options.dir().toAbsolutePath().normalize();
        Path next = dir.resolve("node_modules/next/dist/bin/next");
        if (!Files.isRegularFile(next) || !Files.isRegularFile(dir.resolve(".next/BUILD_ID"))) {
            throw new CliException("the Next.js example in " + dir + " is not built: run `npm ci && npm run build` there first");
        }
        requireNode();
        ProcessBuilder pb = new ProcessBuilder(List.of("node", next.toString(), "start", "--hostname", "127.0.0.1",
                "--port", Integer.toString(options.port()))).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("LATCHKEY_GATEWAY_URL", gatewayUrl);
        pb.environment().put("LATCHKEY_ASSERTION_AUDIENCE", audience);
        pb.environment().put("LATCHKEY_EXAMPLE_NOTES_API_URL", notesApi);
        pb.environment().put("NODE_ENV", "production");
        pb.environment().put("NEXT_TELEMETRY_DISABLED", "1");
        pb.environment().put("NO_COLOR", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new CliException("cannot start Next.js: " + e.getMessage());
        }
        NextjsFrontend f = new NextjsFrontend(p, "http://127.0.0.1:" + options.port());
        Thread.ofVirtual().name("nextjs-output").start(() -> f.pump(output));
        try {
            f.awaitReady();
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** Where the gateway reaches it. */
    String url() {
        return url;
    }

    /** The last lines Next.js printed (for error messages and test reports). */
    String recentOutput() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    private void awaitReady() {
        // HTTP/1.1: Next.js's server does not answer a request offering an h2c upgrade (the JDK client's default)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new CliException("Next.js exited with " + process.exitValue() + ":\n" + recentOutput());
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(url + "/")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for Next.js");
            }
        }
        throw new CliException("Next.js did not answer on " + url + " within " + READY_TIMEOUT.toSeconds() + " s:\n" + recentOutput());
    }

    private void pump(Consumer<String> output) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                output.accept(line);
            }
        } catch (IOException e) {
            // the process ended: nothing more to read
        }
    }

    private static void requireNode() {
        String version;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new CliException("the Next.js example needs Node 20.9 or later on the PATH (node not found)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while checking the Node version");
        }
        Matcher m = NODE_VERSION.matcher(version);
        if (!m.matches()) {
            throw new CliException("the Next.js example needs Node 20.9 or later; `node --version` said " + version);
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 20 || major == 20 && minor < 9) {
            throw new CliException("the Next.js example needs Node 20.9 or later, this is " + version);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops Next.js and its worker processes (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
