package dev.latchkey.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
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
 * What RS256 ID tokens cost: signing an ID token with RSA 2048 (Nimbus {@code RSASSASigner} on the JDK, what
 * {@code SigningAlgorithm.RS256} uses) against ES256 (Latchkey's {@code Es256}), and generating the keys, which the
 * {@code KeyRing} does once per algorithm at a first start and at each rotation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(1)
public class IdTokenSigningBenchmark {
    private JWSSigner rs256;
    private JWSSigner es256;
    private JWSHeader rsHeader;
    private JWSHeader esHeader;
    private JWTClaimsSet claims;

    @Setup
    public void setUp() throws JOSEException {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rs").keyUse(KeyUse.SIGNATURE).generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("es").keyUse(KeyUse.SIGNATURE).generate();
        rs256 = new RSASSASigner(rsa);
        es256 = dev.latchkey.core.key.Es256.signer(ec);
        rsHeader = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID("rs").build();
        esHeader = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID("es").build();
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        claims = new JWTClaimsSet.Builder()
                .issuer("https://auth.example.com")
                .subject("0193a6f2-7c1e-7d2b-9f4e-3b5a1c2d4e6f")
                .audience("notes-web")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("auth_time", now.getEpochSecond())
                .claim("azp", "notes-web")
                .claim("amr", List.of("pwd"))
                .claim("acr", "urn:latchkey:acr:1fa")
                .claim("sid", "0193a6f2-8d3a-7e4b-a5c6-1d2e3f4a5b6c")
                .claim("nonce", "n-0S6_WzA2Mj")
                .claim("at_hash", "77QmUPtjPfzWtF2AnpK9RQ")
                .claim("email", "ada@example.com")
                .claim("email_verified", true)
                .claim("name", "Ada Lovelace")
                .build();
    }

    @Benchmark
    public String signIdTokenRs256() throws JOSEException {
        SignedJWT jwt = new SignedJWT(rsHeader, claims);
        jwt.sign(rs256);
        return jwt.serialize();
    }

    @Benchmark
    public String signIdTokenEs256() throws JOSEException {
        SignedJWT jwt = new SignedJWT(esHeader, claims);
        jwt.sign(es256);
        return jwt.serialize();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public RSAKey generateRsa2048() throws JOSEException {
        return new RSAKeyGenerator(2048).keyID("k").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ECKey generateP256() throws JOSEException {
        return new ECKeyGenerator(Curve.P_256).keyID("k").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
    }
}
