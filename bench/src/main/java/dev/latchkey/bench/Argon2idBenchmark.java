package dev.latchkey.bench;

import com.kosprov.jargon2.api.Jargon2;
import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
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
 * One Argon2id hash (RFC 9106) at the OWASP parameters m=19456 KiB, t=2, p=1, 16-byte salt,
 * 32-byte tag, per candidate implementation. {@link #checkAll()} first compares every candidate
 * with a tag computed by an independent implementation (hash-wasm), so a fast but wrong
 * implementation fails the run instead of winning it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(1)
public class Argon2idBenchmark {
    static final int MEMORY_KIB = 19456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final int TAG_LENGTH = 32;
    static final byte[] PASSWORD = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
    static final byte[] SALT = "latchkey-bench-s".getBytes(StandardCharsets.UTF_8);
    /** hash-wasm 4.13.0 argon2id of PASSWORD and SALT at the parameters above. */
    static final String EXPECTED = "6f383e254888dbc3786fa0c30608a50673dcae182f7bfb0eae3dd54c716fc627";

    private final Argon2Advanced argon2Jvm = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
    private final Jargon2.LowLevelApi jargon2 = Jargon2.jargon2LowLevelApi();
    private final Argon2Function password4j =
            Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, TAG_LENGTH, Argon2.ID, Argon2Function.ARGON2_VERSION_13);

    @Setup
    public void checkAll() {
        check("argon2-jvm", argon2Jvm());
        check("jargon2", jargon2());
        check("password4j", password4j());
        check("bouncycastle", bouncyCastle());
    }

    private static void check(String name, byte[] tag) {
        String hex = HexFormat.of().formatHex(tag);
        if (!hex.equals(EXPECTED)) {
            throw new IllegalStateException(name + " computed a wrong Argon2id tag: " + hex);
        }
    }

    @Benchmark
    public byte[] argon2Jvm() {
        return argon2Jvm.rawHashAdvanced(ITERATIONS, MEMORY_KIB, PARALLELISM, PASSWORD, SALT, null, null, TAG_LENGTH, Argon2Version.V13);
    }

    @Benchmark
    public byte[] jargon2() {
        return jargon2.rawHash(Jargon2.Type.ARGON2id, Jargon2.Version.V13, MEMORY_KIB, ITERATIONS, PARALLELISM, TAG_LENGTH, SALT, PASSWORD);
    }

    @Benchmark
    public byte[] password4j() {
        return password4j.hash(PASSWORD, SALT).getBytes();
    }

    @Benchmark
    public byte[] bouncyCastle() {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(MEMORY_KIB)
                .withIterations(ITERATIONS)
                .withParallelism(PARALLELISM)
                .withSalt(SALT)
                .build());
        byte[] tag = new byte[TAG_LENGTH];
        generator.generateBytes(PASSWORD, tag);
        return tag;
    }
}
