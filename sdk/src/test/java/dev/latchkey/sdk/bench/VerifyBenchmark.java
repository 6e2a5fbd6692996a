package dev.latchkey.sdk.bench;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.sdk.MutableClock;
import dev.latchkey.sdk.TestIssuer;
import dev.latchkey.sdk.token.TokenVerifier;
import dev.latchkey.sdk.token.VerifiedToken;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Token verification cost: a cache hit, the full uncached path (parse, header checks, key lookup, ES256,
 * claim checks, mapping), and Nimbus' bare ES256 verify as the floor. Run with
 * {@code java -cp <sdk test classpath> dev.latchkey.sdk.bench.VerifyBenchmark}; add {@code -prof gc} for
 * allocation per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerifyBenchmark {
    private TestIssuer issuer;
    private TokenVerifier cached;
    private TokenVerifier uncached;
    private ECDSAVerifier es256;
    private String token;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        issuer = new TestIssuer(clock);
        cached = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).build();
        uncached = TokenVerifier.builder().issuer(issuer.issuer()).audience("notes-api").clock(clock).cacheSize(0).build();
        token = issuer.token();
        cached.verify(token);
        uncached.verify(token);
        es256 = new ECDSAVerifier(issuer.signingKey().toECPublicKey());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        issuer.close();
    }

    @Benchmark
    public VerifiedToken cachedVerify() throws Exception {
        return cached.verify(token);
    }

    @Benchmark
    public VerifiedToken coldVerify() throws Exception {
        return uncached.verify(token);
    }

    @Benchmark
    public boolean rawNimbusEs256() throws Exception {
        return SignedJWT.parse(token).verify(es256);
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(VerifyBenchmark.class.getSimpleName())
                .forks(1).warmupIterations(3).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .build()).run();
    }
}
