package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A terminal in a folder, running {@code ./latchkey} as a person does: the repository's launcher script, with
 * {@code LATCHKEY_HOME} pointing at a distribution of this build (its {@code lib/} holds the runtime classpath
 * that the cli module's build writes to {@code target/runtime-classpath.txt}, the class folders of a reactor build
 * packed as jars, and this module's classes; no test classes, so no test logging configuration) and
 * {@code LATCHKEY_JAVA} at the JVM running the tests. The environment is this one without any other
 * {@code LATCHKEY_*} variable, plus what the test gives.
 */
final class Terminal {
    static final Duration WITHIN = Duration.ofMinutes(3);
    static final Path LAUNCHER = Path.of("..", "latchkey").toAbsolutePath().normalize();
    private static Path home;

    final Path folder;
    private final Map<String, String> env;

    Terminal(Path folder, Map<String, String> env) {
        this.folder = folder;
        this.env = new HashMap<>(env);
    }

    /** What one command printed, and its exit code. */
    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Result run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs a command to its end, {@code stdin} (if any) as its standard input. */
    Result runWithInput(String stdin, String... args) {
        try {
            Path out = Files.createTempFile("latchkey-out", ".txt");
            Path err = Files.createTempFile("latchkey-err", ".txt");
            try {
                ProcessBuilder pb = builder(args);
                pb.redirectOutput(out.toFile());
                pb.redirectError(err.toFile());
                Process p = pb.start();
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(WITHIN.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("latchkey " + String.join(" ", args) + " did not end within " + WITHIN);
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a long-running command ({@code dev}); its output (stdout and stderr) goes to {@code log}. */
    Process start(Path log, String... args) throws IOException {
        ProcessBuilder pb = builder(args);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    /** Waits until {@code log} contains {@code text} while {@code p} runs. */
    static String await(Process p, Path log, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (true) {
            String s = Files.exists(log) ? Files.readString(log) : "";
            if (s.contains(text)) {
                return s;
            }
            assertThat(p.isAlive()).as("the process is still running; its output:\n" + s).isTrue();
            assertThat(System.nanoTime() - deadline).as("'" + text + "' within " + WITHIN + "; output so far:\n" + s).isNegative();
            Thread.sleep(200);
        }
    }

    private ProcessBuilder builder(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(folder.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LATCHKEY_"));
        pb.environment().put("LATCHKEY_HOME", home().toString());
        pb.environment().put("LATCHKEY_JAVA", ProcessHandle.current().info().command().orElse("java"));
        pb.environment().putAll(env);
        return pb;
    }

    /** The distribution of this build, made once per test JVM (and removed when it ends). */
    static synchronized Path home() throws IOException {
        if (home != null) {
            return home;
        }
        Path classpath = Path.of("target", "runtime-classpath.txt");
        assertThat(classpath).as("written by the cli module's build (maven-dependency-plugin build-classpath)").exists();
        Path dir = Files.createTempDirectory("latchkey-home");
        Path lib = Files.createDirectories(dir.resolve("lib"));
        List<String> entries = new ArrayList<>(List.of(Files.readString(classpath).strip().split(java.io.File.pathSeparator)));
        entries.add(Path.of("target", "classes").toAbsolutePath().toString());
        int n = 0;
        for (String e : entries) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                jar(p, lib.resolve(String.format("%03d-%s.jar", n++, p.toAbsolutePath().getParent().getParent().getFileName())));
            } else if (p.getFileName().toString().endsWith(".jar")) {
                Files.createSymbolicLink(lib.resolve(String.format("%03d-%s", n++, p.getFileName())), p.toAbsolutePath());
            }
        }
        Files.writeString(dir.resolve(".built"), "");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        home = dir;
        return dir;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            // directory entries too: Flyway finds db/migration through them
            for (Path f : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (Files.isDirectory(f)) {
                    out.putNextEntry(new JarEntry(name + "/"));
                } else {
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(f, out);
                }
                out.closeEntry();
            }
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
