package dev.latchkey.examples;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The gateway's side of the {@code Latchkey-Assertion} contract, and nothing else: an ES256 key whose public
 * half is served at {@code /auth/jwks.json} from a local HTTP server, and assertions signed with it
 * ({@code typ: JWT}, {@code kid}, {@code iss} = this URL, {@code aud}, {@code sub email name org roles iat exp jti},
 * exp = iat + 60 s).
 */
final class TestGateway implements AutoCloseable {
    static final String AUDIENCE = "latchkey-app";

    private final HttpServer http;
    private final ECKey key;
    final String url;

    TestGateway() throws IOException, JOSEException {
        key = new ECKeyGenerator(Curve.P_256).keyID("gw-" + UUID.randomUUID().toString().substring(0, 8)).generate();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        http.createContext("/auth/jwks.json", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        http.start();
        url = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    JWTClaimsSet.Builder claims(String sub, String email, String name) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(url)
                .audience(AUDIENCE)
                .subject(sub)
                .claim("email", email)
                .claim("name", name)
                .claim("org", null)
                .claim("roles", List.of())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofSeconds(60))))
                .jwtID(UUID.randomUUID().toString());
    }

    String assertion(String sub, String email, String name) {
        return sign(claims(sub, email, name).build(), key);
    }

    String assertion(String sub, String email, String name, Consumer<JWTClaimsSet.Builder> edit) {
        JWTClaimsSet.Builder b = claims(sub, email, name);
        edit.accept(b);
        return sign(b.build(), key);
    }

    /** Signed like an assertion, with {@code kid} of the real key, by a key the JWKS does not publish. */
    String forged(String sub, String email, String name) throws JOSEException {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID(key.getKeyID()).generate();
        return sign(claims(sub, email, name).build(), other);
    }

    static String sign(JWTClaimsSet claims, ECKey key) {
        return sign(claims, key, JOSEObjectType.JWT);
    }

    /** With the gateway's key but another {@code typ}. */
    String signWithType(JWTClaimsSet claims, JOSEObjectType type) {
        return sign(claims, key, type);
    }

    private static String sign(JWTClaimsSet claims, ECKey key, JOSEObjectType type) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
