package dev.latchkey.sdk.token;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Latchkey access tokens locally, as RFC 9068 §4 prescribes for a resource server: the JWS
 * header ({@link HeaderCheck}), the signature with a key from the issuer's JWKS whose type fixes the
 * algorithm ({@link KeyAdmission}), then the claims ({@link ClaimCheck}), then the {@link RevocationCheck}.
 * Verified tokens are cached by hash until they expire; the revocation check runs on every call.
 *
 * <p>Thread-safe; build one per issuer and share it.
 */
public final class TokenVerifier {
    private static final Logger log = LoggerFactory.getLogger(TokenVerifier.class);
    private static final String ACCESS_TOKEN_TYPE = "at+jwt";
    /** Longer strings are refused before parsing; Latchkey's tokens stay under 1 KB. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;
    /** The issuer's longest access-token lifetime (design: at most 15 minutes). */
    static final Duration ISSUER_MAX_LIFETIME = Duration.ofMinutes(15);

    private final ClaimCheck.Rules rules;
    private final Set<String> types;
    private final Clock clock;
    private final IssuerKeys keys;
    private final VerifiedTokenCache cache;
    private final RevocationCheck revocation;

    private TokenVerifier(Builder b) {
        this.rules = new ClaimCheck.Rules(b.issuer, b.audiences, b.clockSkew, b.clientIdRequired);
        this.types = Set.copyOf(b.types);
        this.clock = b.clock;
        HttpClient http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.keys = new IssuerKeys(b.issuer, b.jwksUri, http, b.requestTimeout, b.jwksRefetchInterval, b.jwksMaxAge, b.clock);
        this.cache = new VerifiedTokenCache(b.cacheSize);
        this.revocation = b.revocationCheck;
        if (revocation == RevocationCheck.NONE) {
            log.warn("no revocation feed configured: revoked tokens stay valid until they expire (≤ {} min)",
                    ISSUER_MAX_LIFETIME.toMinutes());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The verified token, or a {@link TokenRejectedException} whose {@link RejectReason} says why not.
     * The exception's message is safe to log: it never contains the token.
     */
    public VerifiedToken verify(String token) throws TokenRejectedException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new TokenRejectedException(RejectReason.MALFORMED, "token is empty or longer than " + MAX_TOKEN_CHARS);
        }
        Instant now = clock.instant();
        VerifiedTokenCache.Digest key = cache.keyOf(token);
        VerifiedToken verified = cache.get(key);
        if (verified != null) {
            if (now.isAfter(verified.expiresAt().plus(rules.skew()))) {
                cache.remove(key);
                throw new TokenRejectedException(RejectReason.EXPIRED, "exp " + verified.expiresAt() + " is before " + now);
            }
        } else {
            verified = verifyUncached(token, now);
            cache.put(key, verified, now, rules.skew());
        }
        if (revocation.isRevoked(verified)) {
            throw new TokenRejectedException(RejectReason.REVOKED, "jti " + verified.tokenId() + " of sub " + verified.subject());
        }
        return verified;
    }

    /** Fetches the issuer's keys now instead of on the first request, e.g. at startup. */
    public void loadKeys() throws TokenRejectedException {
        keys.load();
    }

    /** How many verified tokens the cache holds now. */
    int cachedTokens() {
        return cache.size();
    }

    public String issuer() {
        return rules.issuer();
    }

    private VerifiedToken verifyUncached(String token, Instant now) throws TokenRejectedException {
        SignedJWT jwt = parse(token);
        HeaderCheck.runAll(jwt.getHeader(), types);
        PublishedKey key = keys.find(jwt.getHeader().getKeyID());
        if (!(key instanceof PublishedKey.Usable usable)) {
            throw new TokenRejectedException(RejectReason.DISALLOWED_ALGORITHM,
                    "kid " + Echo.of(key.kid()) + " is published but refused: " + ((PublishedKey.Refused) key).why());
        }
        if (!usable.algorithms().contains(jwt.getHeader().getAlgorithm())) {
            throw new TokenRejectedException(RejectReason.DISALLOWED_ALGORITHM,
                    "alg " + Echo.of(jwt.getHeader().getAlgorithm()) + " with kid " + Echo.of(key.kid()) + " that verifies " + usable.algorithms());
        }
        try {
            if (!jwt.verify(usable.verifier())) {
                throw new TokenRejectedException(RejectReason.BAD_SIGNATURE, "signature does not verify with kid " + Echo.of(key.kid()));
            }
        } catch (JOSEException | IllegalStateException e) {
            throw new TokenRejectedException(RejectReason.BAD_SIGNATURE, "cannot verify with kid " + Echo.of(key.kid()) + ": " + Echo.of(e.getMessage(), 200));
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRejectedException(RejectReason.MALFORMED, "payload is not a JSON claims set");
        }
        ClaimCheck.runAll(claims, rules, now);
        return AccessTokenClaims.map(claims, jwt.getPayload().toString());
    }

    private static SignedJWT parse(String token) throws TokenRejectedException {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots != 2) {
            throw new TokenRejectedException(RejectReason.MALFORMED, "not a compact JWS (" + (dots + 1) + " parts)");
        }
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            try {
                Header header = Header.parse(new Base64URL(token.substring(0, token.indexOf('.'))));
                if (header instanceof PlainHeader) {
                    throw new TokenRejectedException(RejectReason.DISALLOWED_ALGORITHM, "alg none");
                }
            } catch (ParseException notEvenAHeader) {
                // fall through: malformed
            }
            throw new TokenRejectedException(RejectReason.MALFORMED, "not a JWS: " + Echo.of(e.getMessage(), 200));
        }
    }

    /** Configuration; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private Duration clockSkew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();
        private URI jwksUri;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration jwksRefetchInterval = Duration.ofSeconds(30);
        private Duration jwksMaxAge = Duration.ofMinutes(10);
        private int cacheSize = 4096;
        private RevocationCheck revocationCheck = RevocationCheck.NONE;
        private HttpClient httpClient;
        private final Set<String> types = new LinkedHashSet<>(Set.of(ACCESS_TOKEN_TYPE));
        private boolean clientIdRequired = true;

        private Builder() {
        }

        /** The issuer URL exactly as it appears in {@code iss}, e.g. {@code https://auth.example.com}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Accepted {@code aud} values; a token must name at least one. */
        public Builder audience(String... audiences) {
            this.audiences.addAll(List.of(audiences));
            return this;
        }

        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = clockSkew;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Skips discovery and fetches keys from this URI. */
        public Builder jwksUri(URI jwksUri) {
            this.jwksUri = jwksUri;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** The least time between two JWKS fetches triggered by unknown {@code kid}s (default 30 s). */
        public Builder jwksRefetchInterval(Duration interval) {
            this.jwksRefetchInterval = interval;
            return this;
        }

        /** After this, the JWKS is refetched so retired keys stop verifying (default 10 min). */
        public Builder jwksMaxAge(Duration maxAge) {
            this.jwksMaxAge = maxAge;
            return this;
        }

        /** How many verified tokens to cache (default 4096; 0 disables the cache). */
        public Builder cacheSize(int cacheSize) {
            this.cacheSize = cacheSize;
            return this;
        }

        public Builder revocationCheck(RevocationCheck revocationCheck) {
            this.revocationCheck = revocationCheck;
            return this;
        }

        /** The client for discovery and JWKS requests, e.g. one with a proxy; it should not follow redirects. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /**
         * The accepted JOSE {@code typ} values, replacing the default {@code at+jwt} (RFC 9068 §4). Compared
         * case-insensitively, with or without the {@code application/} prefix (RFC 7515 §4.1.9). For JWTs that
         * are not access tokens, e.g. {@code expectedType("JWT")} for a gateway's signed identity assertion;
         * keep one verifier per kind of token, so each refuses the other.
         */
        public Builder expectedType(String... types) {
            this.types.clear();
            for (String t : types) {
                this.types.add(t == null ? null : bare(t.toLowerCase(java.util.Locale.ROOT)));
            }
            return this;
        }

        /**
         * Whether {@code client_id} must be present (default {@code true}: RFC 9068 §2.2 requires it in access
         * tokens). With {@code false} a token without it verifies and {@link VerifiedToken#clientId()} is empty;
         * meant together with {@link #expectedType} for JWTs that are not access tokens.
         */
        public Builder clientIdRequired(boolean required) {
            this.clientIdRequired = required;
            return this;
        }

        private static String bare(String type) {
            return type.startsWith("application/") ? type.substring("application/".length()) : type;
        }

        public TokenVerifier build() {
            List<String> errors = new ArrayList<>();
            if (issuer == null || issuer.isBlank()) {
                errors.add("issuer is required");
            } else {
                try {
                    URI uri = new URI(issuer);
                    if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                            || uri.getQuery() != null || uri.getFragment() != null) {
                        errors.add("issuer must be an http(s) URL without query or fragment (OIDC Discovery §3)");
                    }
                } catch (java.net.URISyntaxException e) {
                    errors.add("issuer is not a URL");
                }
            }
            if (audiences.isEmpty()) {
                errors.add("at least one audience is required (RFC 9068 §4)");
            }
            if (types.isEmpty() || types.stream().anyMatch(t -> t == null || t.isBlank())) {
                errors.add("expectedType needs at least one non-blank type");
            }
            if (audiences.stream().anyMatch(a -> a == null || a.isBlank())) {
                errors.add("audiences must not be blank");
            }
            requirePositive(errors, "connectTimeout", connectTimeout);
            requirePositive(errors, "requestTimeout", requestTimeout);
            requirePositive(errors, "jwksRefetchInterval", jwksRefetchInterval);
            requirePositive(errors, "jwksMaxAge", jwksMaxAge);
            if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
                errors.add("clockSkew must be between 0 and 5 minutes");
            }
            if (jwksMaxAge != null && jwksRefetchInterval != null && jwksMaxAge.compareTo(jwksRefetchInterval) < 0) {
                errors.add("jwksMaxAge must not be shorter than jwksRefetchInterval");
            }
            if (cacheSize < 0) {
                errors.add("cacheSize must not be negative");
            }
            if (clock == null) {
                errors.add("clock is required");
            }
            if (revocationCheck == null) {
                errors.add("revocationCheck is required (RevocationCheck.NONE for none)");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException("invalid TokenVerifier configuration: " + String.join("; ", errors));
            }
            return new TokenVerifier(this);
        }

        private static void requirePositive(List<String> errors, String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                errors.add(name + " must be positive");
            }
        }
    }

    @Override
    public String toString() {
        return "TokenVerifier[iss=" + rules.issuer() + ", aud=" + rules.audiences() + "]";
    }

}
