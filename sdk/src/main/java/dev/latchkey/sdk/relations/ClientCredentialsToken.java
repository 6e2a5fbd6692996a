package dev.latchkey.sdk.relations;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * An access token for the relations API from the issuer's token endpoint (OAuth 2.0 client credentials, RFC 6749
 * §4.4, {@code client_secret_basic}), fetched when needed and reused until shortly before it expires. The endpoint
 * comes from OpenID Connect Discovery. {@code toString} never shows the secret or the token.
 */
final class ClientCredentialsToken {
    private final HttpClient http;
    private final String issuer;
    private final String clientId;
    private final String secret;
    private final Clock clock;
    private URI tokenEndpoint;
    private String token;
    private Instant renewAt = Instant.MIN;

    ClientCredentialsToken(HttpClient http, String issuer, String clientId, String secret, Clock clock) {
        this.http = http;
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = clock;
    }

    synchronized String get() {
        if (token != null && clock.instant().isBefore(renewAt)) {
            return token;
        }
        try {
            if (tokenEndpoint == null) {
                Map<String, Object> d = json(http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()), "discovery");
                tokenEndpoint = URI.create((String) d.get("token_endpoint"));
            }
            String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Object> t = json(r, "token");
            token = (String) t.get("access_token");
            long expiresIn = t.get("expires_in") instanceof Number n ? n.longValue() : 60;
            renewAt = clock.instant().plusSeconds(Math.max(1, expiresIn - 30));
            return token;
        } catch (java.io.IOException e) {
            throw new RelationsException(0, "unavailable", "cannot reach " + issuer + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelationsException(0, "interrupted", "interrupted", e);
        }
    }

    /** Forgets the token (after a 401, the next call fetches a new one). */
    synchronized void invalidate() {
        token = null;
    }

    private static Map<String, Object> json(HttpResponse<String> r, String what) {
        if (r.statusCode() != 200) {
            throw new RelationsException(r.statusCode(), "token_request_failed", what + " answered " + r.statusCode(), null);
        }
        try {
            return JSONObjectUtils.parse(r.body());
        } catch (ParseException e) {
            throw new RelationsException(r.statusCode(), "token_request_failed", what + " answered no JSON", e);
        }
    }

    @Override
    public String toString() {
        return "ClientCredentialsToken[" + clientId + " at " + issuer + "]";
    }
}
