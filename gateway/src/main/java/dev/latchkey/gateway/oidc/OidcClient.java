package dev.latchkey.gateway.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import dev.latchkey.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway as a confidential OpenID Connect client of the Latchkey server: discovery (OIDC Discovery §4),
 * the authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3), the token endpoint
 * (authorization_code §4.1.3, refresh_token §6) with client_secret_basic (§2.3.1), ID-token validation (OIDC Core
 * §3.1.3.7), revocation (RFC 7009 §2.1) and RP-initiated logout (OIDC RP-Initiated Logout §2).
 */
public final class OidcClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<JWSAlgorithm> ID_TOKEN_ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final GatewayConfig.Client cfg;
    private final String redirectUri;
    private final HttpClient http;
    private final String basicAuth;
    private volatile ProviderMetadata metadata;
    private volatile IDTokenValidator idTokens;

    public OidcClient(GatewayConfig.Client cfg, String redirectUri) {
        this.cfg = cfg;
        this.redirectUri = redirectUri;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        // RFC 6749 §2.3.1: client id and secret are form-urlencoded before Basic encoding
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString((form(cfg.clientId()) + ":" + form(cfg.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
    }

    public String issuer() {
        return cfg.issuer().toString();
    }

    public String clientId() {
        return cfg.clientId();
    }

    /** The provider's endpoints, discovered at first use (and again after a failure). */
    public ProviderMetadata metadata() {
        ProviderMetadata m = metadata;
        if (m != null) {
            return m;
        }
        synchronized (this) {
            if (metadata == null) {
                String iss = issuer();
                URI doc = URI.create((iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss) + "/.well-known/openid-configuration");
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(doc).timeout(Duration.ofSeconds(10)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "discovery answered " + r.statusCode());
                    }
                    ProviderMetadata parsed = ProviderMetadata.parse(JSON.readTree(r.body()), iss);
                    // the server signs ID tokens with RS256 or ES256, as the client registered (RS256 by default)
                    idTokens = new IDTokenValidator(new Issuer(parsed.issuer()), new ClientID(cfg.clientId()),
                            new JWSVerificationKeySelector<SecurityContext>(ID_TOKEN_ALGS, JWKSourceBuilder.create(parsed.jwksUri().toURL()).build()), null);
                    idTokens.setMaxClockSkew(30);
                    metadata = parsed;
                } catch (IOException | IllegalArgumentException e) {
                    throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "discovery failed: " + e, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "interrupted");
                }
            }
            return metadata;
        }
    }

    /** RFC 6749 §4.1.1 + RFC 7636 §4.3 (S256) + OIDC Core §3.1.2.1 (nonce). */
    public URI authorizationUrl(String state, String nonce, String codeChallenge) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", cfg.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", cfg.scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", codeChallenge);
        q.put("code_challenge_method", "S256");
        return URI.create(metadata().authorizationEndpoint() + "?" + query(q));
    }

    /** RFC 6749 §4.1.3, RFC 7636 §4.5. */
    public TokenResult exchangeCode(String code, String verifier) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", redirectUri);
        f.put("code_verifier", verifier);
        return tokenRequest(f);
    }

    /** RFC 6749 §6. */
    public TokenResult refresh(String refreshToken) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", refreshToken);
        return tokenRequest(f);
    }

    private TokenResult tokenRequest(Map<String, String> form) {
        HttpResponse<String> r = post(metadata().tokenEndpoint(), form);
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "token endpoint answered " + r.statusCode() + " without JSON");
        }
        if (r.statusCode() == 200 && body.hasNonNull("access_token")) {
            return new TokenResult.Issued(body.get("access_token").asText(), body.path("expires_in").asLong(60),
                    text(body, "refresh_token"), text(body, "id_token"));
        }
        if (r.statusCode() >= 500) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "token endpoint answered " + r.statusCode());
        }
        return new TokenResult.Refused(r.statusCode(), body.path("error").asText("invalid_request"), body.path("error_description").asText(""));
    }

    /** RFC 7009 §2.1: revokes a refresh token (and, at Latchkey, its grant). True if the server accepted. */
    public boolean revokeRefreshToken(String refreshToken) {
        Optional<URI> endpoint = metadata().revocationEndpoint();
        if (endpoint.isEmpty()) {
            return false;
        }
        return post(endpoint.get(), Map.of("token", refreshToken, "token_type_hint", "refresh_token")).statusCode() == 200;
    }

    /** OIDC RP-Initiated Logout 1.0 §2: the end-session URL with id_token_hint, client_id and post_logout_redirect_uri. */
    public Optional<URI> endSessionUrl(String idTokenHint) {
        return metadata().endSessionEndpoint().map(e -> {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("id_token_hint", idTokenHint);
            q.put("client_id", cfg.clientId());
            q.put("post_logout_redirect_uri", cfg.postLogoutRedirectUri().toString());
            return URI.create(e + "?" + query(q));
        });
    }

    /**
     * OIDC Core §3.1.3.7: signature (the issuer's JWKS, RS256 or ES256 only), {@code iss}, {@code aud} (this client),
     * {@code exp}, {@code iat} and, when given, the {@code nonce} sent in the authorization request.
     */
    public IDTokenClaimsSet validateIdToken(String idToken, String expectedNonce) {
        metadata();
        try {
            return idTokens.validate(JWTParser.parse(idToken), expectedNonce == null ? null : new Nonce(expectedNonce));
        } catch (java.text.ParseException | BadJOSEException e) {
            throw new GatewayException(GatewayError.UNAUTHENTICATED, "ID token rejected: " + e.getMessage(), e);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "ID token keys unavailable: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> post(URI endpoint, Map<String, String> form) {
        try {
            return http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(15))
                    .header("Authorization", basicAuth).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(query(form))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "cannot reach " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "interrupted");
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    static String query(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(form(k)).append('=').append(form(v)));
        return b.toString();
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
