package dev.latchkey.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node project kept under {@code src/test/node} and run by a JUnit test: its dependencies are
 * installed with {@code npm ci} from the committed lock file, once per lock file (a stamp in
 * {@code node_modules} remembers which), then scripts run with the environment the test gives.
 * Without {@code node}/{@code npm} the test fails when {@code CI=true} and is skipped, loudly,
 * elsewhere (as {@code TestBrowser} does for Chromium).
 */
public final class NodeProject {
    private static final String STAMP = ".latchkey-lock.sha256";

    private final Path dir;

    private NodeProject(Path dir) {
        this.dir = dir;
    }

    /** What a process printed (stdout and stderr, interleaved) and how it ended. */
    public record Run(int exitCode, String output) {
    }

    /** The project in {@code dir} with its dependencies installed; aborts or fails the test without Node. */
    public static NodeProject prepare(Path dir) {
        if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
            throw new IllegalStateException("no package-lock.json in " + dir.toAbsolutePath());
        }
        requireTool("node");
        requireTool("npm");
        NodeProject p = new NodeProject(dir);
        p.install();
        return p;
    }

    private static void requireTool(String tool) {
        String msg;
        try {
            Run r = exec(Path.of("."), List.of(tool, "--version"), Map.of(), Duration.ofSeconds(30));
            String version = r.output().strip();
            if (r.exitCode() != 0) {
                msg = tool + " --version failed: " + version;
            } else if (tool.equals("node") && !version.matches("v(2\\d|[3-9]\\d|\\d{3,})\\..*")) {
                msg = "Node " + version + " is too old: the Node tests need Node 20 or later";
            } else {
                return;
            }
        } catch (UncheckedIOException e) {
            msg = tool + " not found on PATH (apt-get install -y nodejs npm)";
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(msg + " (CI=true: Node tests must run)");
        }
        System.err.println("*** SKIPPING Node test: " + msg + " ***");
        Assumptions.abort(msg);
    }

    private void install() {
        String lock = sha256(dir.resolve("package-lock.json"));
        Path stamp = dir.resolve("node_modules").resolve(STAMP);
        try {
            if (Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(lock)) {
                return;
            }
            Run r = exec(dir, List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), Map.of(), Duration.ofMinutes(5));
            if (r.exitCode() != 0) {
                throw new AssertionError("npm ci failed in " + dir.toAbsolutePath() + " (exit " + r.exitCode() + "):\n" + r.output());
            }
            Files.writeString(stamp, lock + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code node args…} in the project directory with {@code env} added to this JVM's environment. */
    public Run node(Map<String, String> env, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.addAll(List.of(args));
        return exec(dir, cmd, env, timeout);
    }

    /** Runs {@code npm args…} (e.g. {@code run test}) in the project directory with {@code env} added. */
    public Run npm(Map<String, String> env, Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("npm");
        cmd.addAll(List.of(args));
        return exec(dir, cmd, env, timeout);
    }

    private static Run exec(Path dir, List<String> cmd, Map<String, String> env, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> copy(p.getInputStream(), out));
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(Duration.ofSeconds(10));
            String text;
            synchronized (out) {
                text = out.toString(StandardCharsets.UTF_8);
            }
            return done ? new Run(p.exitValue(), text) : new Run(-1, text + "\n*** killed after " + timeout + " ***");
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
