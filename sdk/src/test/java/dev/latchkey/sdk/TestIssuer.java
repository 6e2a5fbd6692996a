package dev.latchkey.sdk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stand-in for the Latchkey server's public side over real HTTP on 127.0.0.1: the OIDC discovery
 * document and the JWKS, with request counters, and a signer minting RFC 9068 access tokens the way the
 * server does.
 */
public final class TestIssuer implements AutoCloseable {
    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private volatile int jwksStatus = 200;
    private volatile String discoveryIssuerOverride;
    private final Clock clock;
    private final ECKey signingKey;

    public TestIssuer(Clock clock) {
        this.clock = clock;
        this.signingKey = newEcKey("k1");
        published.add(signingKey.toPublicJWK());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/openid-configuration", ex -> {
            discoveryRequests.incrementAndGet();
            String iss = discoveryIssuerOverride != null ? discoveryIssuerOverride : issuer();
            respond(ex, 200, JSONObjectUtils.toJSONString(Map.of("issuer", iss, "jwks_uri", issuer() + "/.well-known/jwks.json")));
        });
        server.createContext("/.well-known/jwks.json", ex -> {
            jwksRequests.incrementAndGet();
            respond(ex, jwksStatus, new JWKSet(new ArrayList<>(published)).toString(true));
        });
        server.start();
    }

    private static void respond(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public ECKey signingKey() {
        return signingKey;
    }

    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public void jwksStatus(int status) {
        this.jwksStatus = status;
    }

    public void discoveryNamesIssuer(String iss) {
        this.discoveryIssuerOverride = iss;
    }

    public void publish(JWK key) {
        published.add(key.isPrivate() ? key.toPublicJWK() : key);
    }

    public void unpublish(String kid) {
        published.removeIf(k -> kid.equals(k.getKeyID()));
    }

    public static ECKey newEcKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey newRsaKey(String kid, int bits) {
        try {
            return new RSAKeyGenerator(bits, true).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims as the server issues them for a user in an organization. */
    public JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject("0190f2a4-7b1c-7cc2-9a57-3d0f1e2a4b5c")
                .audience(List.of("notes-api", "other-api"))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", "notes-web")
                .claim("sid", "sess-1")
                .claim("scope", "openid notes:read notes:write")
                .claim("org", "0190f2a4-0000-7000-8000-00000000a11c")
                .claim("roles", List.of("member", "editor"))
                .claim("permissions", List.of("notes.export"))
                .claim("ver", 3);
    }

    public JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).type(new JOSEObjectType("at+jwt"));
    }

    public String token() {
        return sign(header().build(), claims().build(), signingKey);
    }

    public String token(Consumer<JWTClaimsSet.Builder> edit) {
        JWTClaimsSet.Builder b = claims();
        edit.accept(b);
        return sign(header().build(), b.build(), signingKey);
    }

    public static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
        try {
            JWSSigner signer = switch (key) {
                case ECKey ec -> new ECDSASigner(ec);
                case RSAKey rsa -> new RSASSASigner(rsa);
                default -> Ed25519TestSigner.of(key);
            };
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
