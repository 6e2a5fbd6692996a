package dev.latchkey.core.password;

/**
 * The cost of one Argon2 computation (RFC 9106 §3.1): memory in KiB, passes over memory, lanes.
 *
 * <p>The constructor enforces the RFC's bounds ({@code m ≥ 8·p}, {@code t ≥ 1}, {@code p ≥ 1}) and
 * Latchkey's ceilings, which exist so that an imported or tampered hash cannot make one login hang
 * the server: at most {@value #MAX_MEMORY_KIB} KiB (1 GiB), {@value #MAX_ITERATIONS} passes,
 * {@value #MAX_PARALLELISM} lanes, and {@value #MAX_WORK_KIB} KiB·passes in total.
 *
 * @param memoryKib   m, memory size in KiB
 * @param iterations  t, number of passes
 * @param parallelism p, number of lanes
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {
    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 64;
    public static final long MAX_WORK_KIB = 4L << 20;

    /** OWASP Password Storage Cheat Sheet: Argon2id with m=19 MiB, t=2, p=1. */
    public static final Argon2Parameters OWASP = new Argon2Parameters(19 * 1024, 2, 1);

    public Argon2Parameters {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("argon2 parallelism must be 1.." + MAX_PARALLELISM + ", got " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("argon2 iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("argon2 memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                    + " KiB (at least 8 KiB per lane, RFC 9106 §3.1), got " + memoryKib);
        }
        if ((long) memoryKib * iterations > MAX_WORK_KIB) {
            throw new IllegalArgumentException("argon2 memory × iterations must be at most " + MAX_WORK_KIB
                    + " KiB, got " + (long) memoryKib * iterations);
        }
    }
}
