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
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a confidential OpenID Connect client of the Latchkey server: discovery (OIDC Discovery §4),
 * the authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3), the token endpoint
 * (authorization_code §4.1.3, refresh_token §6) with client_secret_basic (§2.3.1), ID-token validation (OIDC Core
 * §3.1.3.7), revocation (RFC 7009 §2.1) and RP-initiated logout (OIDC RP-Initiated Logout §2).
 *
 * <p>A refresh whose answer is lost is repeated at once ({@link #refresh(String, long)}), never left for a later
 * request: the server may have rotated the token already, and it gives the same successor to a repeat only inside its
 * grace window.
 */
public final class OidcClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<JWSAlgorithm> ID_TOKEN_ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);
    private static final Duration TOKEN_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** The first pause before repeating a refresh; it doubles up to {@link #LONGEST_PAUSE}. */
    static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    static final Duration LONGEST_PAUSE = Duration.ofMillis(400);
    /** An attempt is not started with less time than this left. */
    static final Duration SHORTEST_ATTEMPT = Duration.ofMillis(100);
    /** A refresh that never reached the server (connection refused) is tried this many times, not for the whole budget. */
    static final int CONNECT_ATTEMPTS = 3;

    private final GatewayConfig.Client cfg;
    private final String redirectUri;
    private final HttpClient http;
    private final String basicAuth;
    private final Duration refreshAttempt;
    private volatile ProviderMetadata metadata;
    private volatile IDTokenValidator idTokens;

    /**
     * @param refreshLease the refresh lease ({@code LATCHKEY_GATEWAY_REFRESH_LEASE}): one refresh attempt takes at most
     *                     half of it, so that an attempt that timed out leaves room to repeat it within the lease
     */
    public OidcClient(GatewayConfig.Client cfg, String redirectUri, Duration refreshLease) {
        this.cfg = cfg;
        this.redirectUri = redirectUri;
        this.refreshAttempt = refreshLease.dividedBy(2);
        Duration connect = refreshAttempt.compareTo(Duration.ofSeconds(5)) < 0 ? refreshAttempt : Duration.ofSeconds(5);
        this.http = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
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
        return authorizationUrl(state, nonce, codeChallenge, null, null, null);
    }

    /**
     * The same, with Latchkey's {@code idp} hint (docs/identity-providers.md: the server sends a user who must sign in
     * straight to that upstream identity provider; null: the hosted sign-in page) and {@code acr_values} (OIDC Core
     * §3.1.2.1) when {@code acrValues} is not null: a step-up; and Latchkey's {@code organization} (an organization's id
     * or slug, already checked by {@link dev.latchkey.gateway.login.OrganizationParam}) when not null: the tokens are for
     * that organization, with no chooser page (docs/authorization.md).
     */
    public URI authorizationUrl(String state, String nonce, String codeChallenge, String idp, String acrValues, String organization) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", cfg.clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", cfg.scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", codeChallenge);
        q.put("code_challenge_method", "S256");
        if (idp != null) {
            q.put("idp", idp);
        }
        if (acrValues != null) {
            q.put("acr_values", acrValues);
        }
        if (organization != null) {
            q.put("organization", organization);
        }
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

    /**
     * RFC 6749 §6, repeated with the same refresh token after a transport failure — a connection refused, reset or
     * timed out, an answer cut short or unreadable, or 502/503/504 from a proxy in front of the server — at once, with
     * a short back-off (50 ms doubling to 400 ms), each attempt taking at most half the lease, none started after
     * {@code deadlineNanos} ({@link System#nanoTime()} scale). The server may have rotated the token before the answer
     * was lost; a repeat inside its grace window gets the same successor (docs/oidc.md, refresh-token rotation), so
     * the repeat is safe, whereas the next request needing a refresh, minutes later, would present a token replaced
     * long ago, a reuse. A refresh refused before it was sent (connection refused) is tried {@link #CONNECT_ATTEMPTS}
     * times only: the server never saw it, nothing needs repeating inside the window.
     *
     * @throws GatewayException {@code issuer_unavailable} when no attempt got an answer in time
     */
    public TokenResult refresh(String refreshToken, long deadlineNanos) {
        return refresh(refreshToken, deadlineNanos, null);
    }

    /**
     * A refresh that also switches the grant to {@code organization} (Latchkey's {@code organization} parameter of
     * the refresh grant, docs/authorization.md); null: a plain refresh. Repeated like {@link #refresh(String, long)}.
     */
    public TokenResult refresh(String refreshToken, long deadlineNanos, String organization) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "refresh_token");
        f.put("refresh_token", refreshToken);
        if (organization != null) {
            f.put("organization", organization);
        }
        URI endpoint = metadata().tokenEndpoint();
        Duration pause = FIRST_PAUSE;
        boolean mayHaveArrived = false;
        for (int attempt = 1; ; attempt++) {
            long left = deadlineNanos - System.nanoTime();
            if (left < SHORTEST_ATTEMPT.toNanos()) {
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, attempt == 1 ? "no time left in the refresh lease to send the refresh"
                        : "refresh failed " + (attempt - 1) + " times; no time left in the refresh lease to repeat it");
            }
            Duration timeout = Duration.ofNanos(Math.min(left, refreshAttempt.toNanos()));
            String failure;
            boolean sent;
            try {
                HttpResponse<String> r = send(endpoint, f, timeout);
                Optional<TokenResult> answer = answer(r);
                if (answer.isPresent()) {
                    if (attempt > 1) {
                        LOG.info("refresh answered at attempt {}", attempt);
                    }
                    return answer.get();
                }
                failure = "token endpoint answered " + r.statusCode() + (r.statusCode() >= 500 ? "" : " without JSON");
                sent = true;
            } catch (ConnectException | HttpConnectTimeoutException e) {
                failure = "cannot connect to " + endpoint + ": " + e;
                sent = false;
            } catch (IOException e) {
                failure = "no answer from " + endpoint + ": " + e;
                sent = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "interrupted");
            }
            mayHaveArrived |= sent;
            if (!mayHaveArrived && attempt >= CONNECT_ATTEMPTS) {
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "refresh failed " + attempt + " times: " + failure);
            }
            long wait = Math.min(pause.toNanos(), deadlineNanos - System.nanoTime() - SHORTEST_ATTEMPT.toNanos());
            if (wait < 0) {
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "refresh failed " + attempt + " times"
                        + (mayHaveArrived ? " (the server may have rotated the refresh token)" : "") + ": " + failure);
            }
            LOG.info("refresh attempt {} failed ({}); repeating it with the same refresh token in {} ms", attempt, failure, wait / 1_000_000);
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "interrupted");
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /**
     * What the token endpoint's answer means, or empty when it is a transport failure (a proxy's 502/503/504, or a
     * success without a readable body): only then may the request be repeated.
     */
    private static Optional<TokenResult> answer(HttpResponse<String> r) {
        int status = r.statusCode();
        if (status == 502 || status == 503 || status == 504) {
            return Optional.empty();
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            if (status < 300) {
                return Optional.empty();
            }
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "token endpoint answered " + status + " without JSON");
        }
        if (status < 300 && (body == null || !body.isObject())) {
            return Optional.empty();
        }
        return Optional.of(result(status, body));
    }

    private TokenResult tokenRequest(Map<String, String> form) {
        HttpResponse<String> r = post(metadata().tokenEndpoint(), form);
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "token endpoint answered " + r.statusCode() + " without JSON");
        }
        return result(r.statusCode(), body);
    }

    private static TokenResult result(int status, JsonNode body) {
        if (status == 200 && body != null && body.hasNonNull("access_token")) {
            return new TokenResult.Issued(body.get("access_token").asText(), body.path("expires_in").asLong(60),
                    text(body, "refresh_token"), text(body, "id_token"));
        }
        if (status >= 500 || body == null) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "token endpoint answered " + status);
        }
        return new TokenResult.Refused(status, body.path("error").asText("invalid_request"), body.path("error_description").asText(""));
    }

    /** RFC 7009 §2.1: revokes a refresh token (and, at Latchkey, its grant). True if the server accepted. */
    public boolean revokeRefreshToken(String refreshToken) {
        Optional<URI> endpoint = metadata().revocationEndpoint();
        if (endpoint.isEmpty()) {
            return false;
        }
        return post(endpoint.get(), Map.of("token", refreshToken, "token_type_hint", "refresh_token")).statusCode() == 200;
    }

    /**
     * The user's organizations, from the server's {@code GET <issuer>/api/auth/orgs} with the session's access token
     * (the server accepts a user token of a client registered {@code first_party}, as the gateway is). Empty when the
     * server refuses the token (401): expired or revoked meanwhile, so the caller may refresh and ask once more.
     */
    public Optional<java.util.List<UserOrganization>> organizations(String accessToken) {
        String iss = issuer();
        URI endpoint = URI.create((iss.endsWith("/") ? iss.substring(0, iss.length() - 1) : iss) + "/api/auth/orgs");
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(endpoint).timeout(TOKEN_REQUEST_TIMEOUT).header("Authorization", "Bearer " + accessToken)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "cannot reach " + endpoint + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "interrupted");
        }
        if (r.statusCode() == 401) {
            return Optional.empty();
        }
        try {
            JsonNode orgs = r.statusCode() == 200 ? JSON.readTree(r.body()).get("orgs") : null;
            if (orgs == null || !orgs.isArray()) {
                throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, endpoint + " answered " + r.statusCode()
                        + " (is the gateway's client registered first_party?)");
            }
            java.util.List<UserOrganization> out = new java.util.ArrayList<>();
            for (JsonNode o : orgs) {
                java.util.List<String> roles = new java.util.ArrayList<>();
                o.path("roles").forEach(x -> roles.add(x.asText()));
                out.add(new UserOrganization(o.path("id").asText(), o.path("name").asText(), o.path("slug").asText(), roles,
                        o.path("current").asBoolean(false)));
            }
            return Optional.of(java.util.List.copyOf(out));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, endpoint + " answered malformed JSON", e);
        }
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

    private HttpResponse<String> send(URI endpoint, Map<String, String> form, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Authorization", basicAuth).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(query(form))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI endpoint, Map<String, String> form) {
        try {
            return send(endpoint, form, TOKEN_REQUEST_TIMEOUT);
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
