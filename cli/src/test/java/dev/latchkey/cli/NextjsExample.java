package dev.latchkey.cli;

import dev.latchkey.testkit.NodeProject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Next.js example built for production, as the tests run it: {@code @latchkey/client} ({@code clients/js}) and
 * {@code @latchkey/next} ({@code clients/next}) compiled with tsc, {@code examples/nextjs} installed with
 * {@code npm ci} (which copies both packages into its {@code node_modules}) and built with {@code next build}.
 * Each step runs only when its sources changed since it last succeeded (stamps next to its output, keyed on a
 * SHA-256 of the sources), so a test run builds at most once and an unchanged checkout not at all.
 */
final class NextjsExample {
    static final Path CLIENT_JS = Path.of("..", "clients", "js");
    static final Path CLIENT_NEXT = Path.of("..", "clients", "next");
    static final Path DIR = Path.of("..", "examples", "nextjs");
    static final Map<String, String> ENV = Map.of("NEXT_TELEMETRY_DISABLED", "1");
    private static final List<Path> TS_SOURCES = List.of(Path.of("src"), Path.of("package.json"), Path.of("package-lock.json"),
            Path.of("tsconfig.json"));

    private static Path built;

    private NextjsExample() {
    }

    /** {@code @latchkey/client}'s {@code dist}, which {@code @latchkey/next} compiles against; whether it was (re)built. */
    static boolean clientBuilt() {
        return NodeProject.prepare(CLIENT_JS)
                .npmWhenChanged(TS_SOURCES, Path.of("dist", ".latchkey-sources.sha256"), ENV, Duration.ofMinutes(3), "run", "build");
    }

    /** The example's folder, built; fails the test (CI) or skips it (elsewhere) without Node. */
    static synchronized Path built() {
        if (built != null) {
            return built;
        }
        long start = System.nanoTime();
        boolean ran = clientBuilt();
        NodeProject next = NodeProject.prepare(CLIENT_NEXT);
        ran |= next.npmWhenChanged(TS_SOURCES, Path.of("dist", ".latchkey-sources.sha256"), ENV, Duration.ofMinutes(3), "run", "build");
        NodeProject example = NodeProject.prepare(DIR, List.of(Path.of("../../clients/js/dist"), Path.of("../../clients/js/package.json"),
                Path.of("../../clients/next/dist"), Path.of("../../clients/next/package.json")));
        ran |= example.npmWhenChanged(List.of(Path.of("app"), Path.of("proxy.ts"), Path.of("next.config.ts"), Path.of("tsconfig.json"),
                        Path.of("package-lock.json"), Path.of("node_modules/.latchkey-lock.sha256")),
                Path.of(".next", ".latchkey-sources.sha256"), ENV, Duration.ofMinutes(8), "run", "build");
        System.out.printf("Next.js example %s in %d s%n", ran ? "built" : "already built", Duration.ofNanos(System.nanoTime() - start).toSeconds());
        built = DIR;
        return built;
    }
}
