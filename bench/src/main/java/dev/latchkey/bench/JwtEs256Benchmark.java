package dev.latchkey.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
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
 * ES256 (RFC 7518 §3.4) signing and verification of an RFC 9068 access token with Nimbus JOSE: on
 * the JDK's SunEC provider ({@code sign}, {@code verify}) and on Latchkey's {@code Es256} (Bouncy
 * Castle's P-256 arithmetic; {@code signLatchkey}, {@code verifyLatchkey}), which the server uses.
 * The claims set is the shape design.md describes, about 400 bytes of JSON.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(1)
public class JwtEs256Benchmark {
    private ECDSASigner signer;
    private ECDSAVerifier verifier;
    private com.nimbusds.jose.JWSSigner fastSigner;
    private com.nimbusds.jose.JWSVerifier fastVerifier;
    private JWSHeader header;
    private JWTClaimsSet claims;
    private String token;

    @Setup
    public void setUp() throws JOSEException {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("2026-11-bench").generate();
        signer = new ECDSASigner(key);
        verifier = new ECDSAVerifier(key.toPublicJWK());
        fastSigner = dev.latchkey.core.key.Es256.signer(key);
        fastVerifier = dev.latchkey.core.key.Es256.verifier(key.toPublicJWK());
        header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt")).keyID(key.getKeyID()).build();
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        claims = new JWTClaimsSet.Builder()
                .issuer("https://auth.example.com")
                .subject("0193a6f2-7c1e-7d2b-9f4e-3b5a1c2d4e6f")
                .audience("https://api.example.com")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("sid", "0193a6f2-8d3a-7e4b-a5c6-1d2e3f4a5b6c")
                .claim("client_id", "notes-web")
                .claim("scope", "openid profile email notes:read notes:write")
                .claim("org", "0193a6f1-0000-7000-8000-00000000acme")
                .claim("roles", List.of("member", "editor"))
                .claim("ver", 7)
                .build();
        int size = claims.toString().getBytes(StandardCharsets.UTF_8).length;
        if (size < 350 || size > 450) {
            throw new IllegalStateException("claims set should be about 400 bytes, is " + size);
        }
        token = sign();
        if (!verify()) {
            throw new IllegalStateException("ES256 round trip failed");
        }
    }

    @Benchmark
    public String sign() throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Benchmark
    public boolean verify() throws JOSEException {
        try {
            return SignedJWT.parse(token).verify(verifier);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public String signLatchkey() throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(fastSigner);
        return jwt.serialize();
    }

    @Benchmark
    public boolean verifyLatchkey() throws JOSEException {
        try {
            return SignedJWT.parse(token).verify(fastVerifier);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
