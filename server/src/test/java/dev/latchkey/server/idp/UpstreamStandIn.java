package dev.latchkey.server.idp;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small upstream provider for the tests that need tokens no honest provider issues, and for the
 * GitHub-style plain OAuth 2.0 mapping: an OIDC issuer at {@code /oidc} whose ID tokens can be signed
 * by a key it does not publish, with {@code alg: none}, or with HS256 keyed by its public key; and a
 * plain OAuth 2.0 provider at {@code /gh} with {@code /gh/user} and {@code /gh/user/emails}.
 */
final class UpstreamStandIn implements AutoCloseable {
    /** How the next ID token is made. */
    enum IdToken { GOOD, EXPIRED, UNKNOWN_KEY, ALG_NONE, HS256_WITH_PUBLIC_KEY }

    private final HttpServer server;
    private final RSAKey published;
    private final RSAKey unpublished;
    private final Map<String, String> nonces = new ConcurrentHashMap<>();
    volatile IdToken idToken = IdToken.GOOD;
    volatile String subject = "standin-subject";
    volatile String email = "standin@example.test";
    /** The e-mails endpoint's answer (GitHub's shape). */
    volatile String emailsJson = "[]";
    volatile long githubId = 4242;

    UpstreamStandIn() throws Exception {
        published = new RSAKeyGenerator(2048).keyID("published").generate();
        unpublished = new RSAKeyGenerator(2048).keyID("rogue").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    String issuer() {
        return base() + "/oidc";
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            switch (path) {
                case "/oidc/.well-known/openid-configuration" -> json(x, 200, """
                        {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token","jwks_uri":"%1$s/jwks",
                         "response_types_supported":["code"],"subject_types_supported":["public"],
                         "id_token_signing_alg_values_supported":["RS256"]}""".formatted(issuer()));
                case "/oidc/jwks" -> json(x, 200, new JWKSet(published.toPublicJWK()).toString());
                case "/oidc/authorize", "/gh/authorize" -> {
                    String code = UUID.randomUUID().toString();
                    if (q.get("nonce") != null) {
                        nonces.put(code, q.get("nonce"));
                    }
                    redirect(x, q.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
                }
                case "/oidc/token" -> {
                    Map<String, String> form = query(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    String nonce = nonces.remove(form.get("code"));
                    json(x, 200, "{\"access_token\":\"at-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\""
                            + idToken(nonce) + "\"}");
                }
                case "/gh/token" -> json(x, 200, "{\"access_token\":\"gho_" + UUID.randomUUID().toString().replace("-", "")
                        + "\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}");
                case "/gh/user" -> json(x, 200, "{\"login\":\"octo\",\"id\":" + githubId + ",\"name\":\"Octo Cat\",\"email\":null}");
                case "/gh/user/emails" -> json(x, 200, emailsJson);
                default -> json(x, 404, "{}");
            }
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private String idToken(String nonce) throws Exception {
        long now = System.currentTimeMillis();
        long exp = idToken == IdToken.EXPIRED ? now - 600_000 : now + 300_000;
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience("latchkey-at-standin")
                .issueTime(new Date(exp - 300_000)).expirationTime(new Date(exp)).claim("email", email)
                .claim("email_verified", true);
        if (nonce != null) {
            c.claim("nonce", nonce);
        }
        JWTClaimsSet claims = c.build();
        return switch (idToken) {
            case GOOD, EXPIRED -> signed(claims, published);
            case UNKNOWN_KEY -> signed(claims, unpublished);
            case ALG_NONE -> new PlainJWT(claims).serialize();
            case HS256_WITH_PUBLIC_KEY -> {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("published").build(), claims);
                jwt.sign(new MACSigner(published.toPublicJWK().toRSAPublicKey().getEncoded()));
                yield jwt.serialize();
            }
        };
    }

    private static String signed(JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void json(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    private static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().set("Location", location);
        x.sendResponseHeaders(302, -1);
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String p : raw.split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    static URI uri(String s) {
        return URI.create(s);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
