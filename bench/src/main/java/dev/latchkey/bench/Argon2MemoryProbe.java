package dev.latchkey.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Not a JMH benchmark: how much resident memory N concurrent Argon2id hashes at the OWASP
 * parameters cost with one implementation. Run in a fresh JVM per implementation:
 * {@code java -Xmx512m -cp benchmarks.jar dev.latchkey.bench.Argon2MemoryProbe argon2Jvm 8 20}.
 * Prints the process's peak and current resident set (VmHWM, VmRSS) and the Java heap in use.
 */
public final class Argon2MemoryProbe {
    private Argon2MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        String impl = args[0];
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Argon2idBenchmark candidates = new Argon2idBenchmark();
        Supplier<byte[]> hash = switch (impl) {
            case "argon2Jvm" -> candidates::argon2Jvm;
            case "jargon2" -> candidates::jargon2;
            case "password4j" -> candidates::password4j;
            case "bouncyCastle" -> candidates::bouncyCastle;
            default -> throw new IllegalArgumentException("unknown implementation " + impl);
        };
        hash.get();
        String before = status();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    hash.get();
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("%s threads=%d rounds=%d wall=%dms heapUsed=%dMiB heapCommitted=%dMiB before[%s] after[%s]%n",
                impl, threads, rounds, millis, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20, before, status());
    }

    private static String status() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
                sb.append(line.replaceAll("\\s+", " ")).append(' ');
            }
        }
        return sb.toString().trim();
    }
}
