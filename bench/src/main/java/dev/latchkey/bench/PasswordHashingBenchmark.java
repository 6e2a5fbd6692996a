package dev.latchkey.bench;

import dev.latchkey.core.password.Argon2Parameters;
import dev.latchkey.core.password.PasswordHashing;
import dev.latchkey.core.password.Pepper;
import dev.latchkey.core.password.Verification;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latchkey's own {@link PasswordHashing} at the defaults (OWASP Argon2id, with a pepper): what a
 * sign-up ({@code hash}) and a sign-in ({@code verify}) cost, including NFKC, HMAC and PHC
 * encoding on top of the Argon2 call measured in {@link Argon2idBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(1)
public class PasswordHashingBenchmark {
    private static final String PASSWORD = "correct horse battery staple";

    private PasswordHashing hashing;
    private String stored;

    @Setup
    public void setUp() {
        hashing = new PasswordHashing(Argon2Parameters.OWASP, Optional.of(new Pepper("bench", new byte[32])), List.of());
        stored = hashing.hash(PASSWORD);
        if (!(hashing.verify(PASSWORD, stored) instanceof Verification.Match)) {
            throw new IllegalStateException("round trip failed");
        }
    }

    @Benchmark
    public String hash() {
        return hashing.hash(PASSWORD);
    }

    @Benchmark
    public Verification verify() {
        return hashing.verify(PASSWORD, stored);
    }
}
