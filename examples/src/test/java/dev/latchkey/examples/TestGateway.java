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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A stand-in for the gateway's side of the demo's contracts (the real gateway is another module): an ES256 key
 * whose public half is served at {@code /auth/jwks.json} from a local HTTP server, and assertions signed with it
 * ({@code typ: JWT}, {@code kid}, {@code iss} = this URL, {@code aud}, {@code sub email name org roles iat exp jti},
 * exp = iat + 60 s). After {@link #proxyTo} it also fronts the app for a browser like the gateway does: a session
 * cookie from {@code /auth/login}, {@code /api/notes/**} relayed with the session's real access token (401 without
 * a session, 403 without {@code X-CSRF: 1} on writes), everything else with a fresh assertion, and
 * {@code POST /auth/logout} answering {@code {"logout_url": …}}.
 */
final class TestGateway implements AutoCloseable {
    static final String AUDIENCE = "latchkey-app";

    private final HttpServer http;
    private final ECKey key;
    final String url;

    TestGateway() throws IOException, JOSEException {
        key = new ECKeyGenerator(Curve.P_256).keyID("gw-" + UUID.randomUUID().toString().substring(0, 8)).generate();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/auth/login", this::login);
        http.createContext("/auth/logout", this::logout);
        http.createContext("/", this::relay);
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

    /** A signed-in user of the stand-in: what the assertion says, and the real access token it relays. */
    record Session(String sub, String email, String name, String accessToken) {
    }

    private static final java.net.http.HttpClient UPSTREAM = java.net.http.HttpClient.newBuilder()
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding", "keep-alive", "date");
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile String upstream;
    private volatile Supplier<Session> nextLogin;
    final java.util.concurrent.atomic.AtomicInteger logins = new java.util.concurrent.atomic.AtomicInteger();

    /** Fronts {@code upstreamBase}; {@code /auth/login} signs in whoever {@code login} supplies. */
    void proxyTo(String upstreamBase, Supplier<Session> login) {
        this.upstream = upstreamBase;
        this.nextLogin = login;
    }

    private void login(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        String returnTo = query != null && query.startsWith("returnTo=")
                ? java.net.URLDecoder.decode(query.substring("returnTo=".length()), StandardCharsets.UTF_8) : "/";
        if (!returnTo.startsWith("/") || returnTo.startsWith("//")) {
            returnTo = "/";
        }
        String id = UUID.randomUUID().toString();
        sessions.put(id, nextLogin.get());
        logins.incrementAndGet();
        ex.getResponseHeaders().add("Set-Cookie", "gw=" + id + "; Path=/; HttpOnly; SameSite=Lax");
        ex.getResponseHeaders().set("Location", returnTo);
        ex.sendResponseHeaders(303, -1);
        ex.close();
    }

    private void logout(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod()) || !"1".equals(ex.getRequestHeaders().getFirst("X-CSRF"))) {
            respond(ex, 403, "application/json", "{\"error\":\"csrf\"}");
            return;
        }
        session(ex).ifPresent(s -> sessions.values().remove(s));
        ex.getResponseHeaders().add("Set-Cookie", "gw=; Path=/; Max-Age=0");
        respond(ex, 200, "application/json", "{\"logout_url\":\"/?signed-out=1\"}");
    }

    private void relay(HttpExchange ex) throws IOException {
        if (upstream == null) {
            respond(ex, 404, "text/plain", "no upstream");
            return;
        }
        java.util.Optional<Session> session = session(ex);
        String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(upstream + path));
        byte[] body = ex.getRequestBody().readAllBytes();
        b.method(ex.getRequestMethod(), body.length == 0 ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : List.of("Content-Type", "Accept")) {
            String v = ex.getRequestHeaders().getFirst(h);
            if (v != null) {
                b.header(h, v);
            }
        }
        if (path.startsWith("/api/notes")) {
            if (session.isEmpty()) {
                respond(ex, 401, "application/json", "{\"error\":\"unauthenticated\"}");
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"1".equals(ex.getRequestHeaders().getFirst("X-CSRF"))) {
                respond(ex, 403, "application/json", "{\"error\":\"csrf\"}");
                return;
            }
            b.header("Authorization", "Bearer " + session.get().accessToken());
        } else {
            session.ifPresent(s -> b.header("Latchkey-Assertion", assertion(s.sub(), s.email(), s.name())));
        }
        java.net.http.HttpResponse<byte[]> r;
        try {
            r = UPSTREAM.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                ex.getResponseHeaders().put(name, values);
            }
        });
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        if (r.body().length > 0) {
            ex.getResponseBody().write(r.body());
        }
        ex.close();
    }

    private java.util.Optional<Session> session(HttpExchange ex) {
        String cookies = ex.getRequestHeaders().getFirst("Cookie");
        if (cookies == null) {
            return java.util.Optional.empty();
        }
        for (String c : cookies.split(";\\s*")) {
            if (c.startsWith("gw=")) {
                return java.util.Optional.ofNullable(sessions.get(c.substring(3)));
            }
        }
        return java.util.Optional.empty();
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
