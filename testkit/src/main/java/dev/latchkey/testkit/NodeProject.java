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
    private final List<Path> installKeyedOn;

    private NodeProject(Path dir, List<Path> installKeyedOn) {
        this.dir = dir;
        this.installKeyedOn = installKeyedOn;
    }

    /** What a process printed (stdout and stderr, interleaved) and how it ended. */
    public record Run(int exitCode, String output) {
    }

    /** The project in {@code dir} with its dependencies installed; aborts or fails the test without Node. */
    public static NodeProject prepare(Path dir) {
        return prepare(dir, List.of());
    }

    /**
     * Like {@link #prepare(Path)}, and {@code npm ci} runs again when any file under {@code alsoKeyedOn} changes:
     * for a project whose lock file names local packages ({@code file:../x}) that npm copies into
     * {@code node_modules} ({@code install-links=true}) and that must be copied again when they are rebuilt.
     */
    public static NodeProject prepare(Path dir, List<Path> alsoKeyedOn) {
        if (!Files.isRegularFile(dir.resolve("package-lock.json"))) {
            throw new IllegalStateException("no package-lock.json in " + dir.toAbsolutePath());
        }
        requireTool("node");
        requireTool("npm");
        NodeProject p = new NodeProject(dir, List.copyOf(alsoKeyedOn));
        p.install();
        return p;
    }

    /**
     * Runs {@code npm args…} unless the files under {@code inputs} (relative to the project; folders walked, without
     * {@code node_modules}, {@code .next} and {@code dist-test}) hash to what {@code stamp} records, and records
     * the hash after a successful run: a build made once per change of its sources. Fails the test when npm fails.
     *
     * @return whether npm ran
     */
    public boolean npmWhenChanged(List<Path> inputs, Path stamp, Map<String, String> env, Duration timeout, String... args) {
        String key = sha256Of(inputs.stream().map(dir::resolve).toList());
        Path stampFile = dir.resolve(stamp);
        try {
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).strip().equals(key)) {
                return false;
            }
            Run r = npm(env, timeout, args);
            if (r.exitCode() != 0) {
                throw new AssertionError("npm " + String.join(" ", args) + " failed in " + dir.toAbsolutePath()
                        + " (exit " + r.exitCode() + "):\n" + r.output());
            }
            Files.createDirectories(stampFile.getParent());
            Files.writeString(stampFile, key + "\n");
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project's folder. */
    public Path dir() {
        return dir;
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
        List<Path> keyed = new ArrayList<>();
        keyed.add(dir.resolve("package-lock.json"));
        keyed.addAll(installKeyedOn.stream().map(dir::resolve).toList());
        String lock = installKeyedOn.isEmpty() ? sha256(dir.resolve("package-lock.json")) : sha256Of(keyed);
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

    /** SHA-256 over the relative paths and contents of the files under {@code roots}, in a stable order. */
    static String sha256Of(List<Path> roots) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path root : roots) {
                if (!Files.exists(root)) {
                    md.update(("missing:" + root + "\n").getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                List<Path> files;
                try (var walk = Files.walk(root)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(f -> root.relativize(f).toString().isEmpty() || !IGNORED.matcher(root.relativize(f).toString()).find())
                            .sorted().toList();
                }
                for (Path f : files) {
                    md.update((root + "/" + root.relativize(f) + "\n").getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static final java.util.regex.Pattern IGNORED = java.util.regex.Pattern.compile("(^|/)(node_modules|\\.next|dist-test)(/|$)");

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
