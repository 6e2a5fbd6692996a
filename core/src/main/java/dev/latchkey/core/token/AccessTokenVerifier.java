package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.key.KeyRing;
import dev.latchkey.core.key.SigningAlgorithm;
import dev.latchkey.core.org.OrgCustomClaims;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.crypto.Digests;
import java.nio.ByteBuffer;
import java.text.ParseException;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Verifies access tokens this server issued (for its own endpoints: {@code /api/auth/me},
 * userinfo, introspection). Only our keys, only ES256 (the access-token algorithm) with a key made
 * for it, only {@code typ: at+jwt} (RFC 9068 §4), our issuer, and an unexpired {@code exp}.
 */
public final class AccessTokenVerifier {
    /** The claims Latchkey's own endpoints use; {@code kind} says whether a user or a client ({@link TokenPrincipal#kindOf}). */
    public record Claims(String subject, String clientId, String sessionId, String scope, Integer securityVersion,
                         List<String> audience, Instant issuedAt, Instant expiresAt, String jti, String kid, TokenPrincipal.Kind kind,
                         String org, List<String> roles, List<String> permissions, OrgCustomClaims orgClaims) {
        public Claims {
            roles = roles == null ? List.of() : List.copyOf(roles);
            permissions = permissions == null ? List.of() : List.copyOf(permissions);
            orgClaims = orgClaims == null ? OrgCustomClaims.NONE : orgClaims;
        }
    }

    private record TokenKey(long hi, long lo) {
    }

    private final KeyRing keys;
    private final Clock clock;
    private final String issuer;
    private final Cache<TokenKey, Claims> verified;
    private final Predicate<String> jwtTypedClients;

    public AccessTokenVerifier(KeyRing keys, Clock clock, String issuer) {
        this(keys, clock, issuer, 0);
    }

    /**
     * @param cacheSize how many verified tokens to remember (by SHA-256) until they expire, so that
     *                  a token presented again skips the signature check; 0 disables the cache
     */
    public AccessTokenVerifier(KeyRing keys, Clock clock, String issuer, long cacheSize) {
        this(keys, clock, issuer, cacheSize, clientId -> false);
    }

    /**
     * @param jwtTypedClients the clients registered for {@code typ: JWT} access tokens; a token of
     *                        that type is accepted only when its {@code client_id} is one of them
     *                        (so an ID token, also {@code typ: JWT} but without client_id, never is)
     */
    public AccessTokenVerifier(KeyRing keys, Clock clock, String issuer, long cacheSize, Predicate<String> jwtTypedClients) {
        this.jwtTypedClients = Objects.requireNonNull(jwtTypedClients, "jwtTypedClients");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.verified = cacheSize <= 0 ? null : Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(Duration.ofMinutes(15)).build();
    }

    public Claims verify(String token) {
        return tryVerify(token).orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_TOKEN, "access token rejected"));
    }

    public Optional<Claims> tryVerify(String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        if (verified == null) {
            return verifyNow(token);
        }
        ByteBuffer h = ByteBuffer.wrap(Digests.sha256(token));
        TokenKey key = new TokenKey(h.getLong(), h.getLong());
        Claims hit = verified.getIfPresent(key);
        if (hit != null) {
            // a cached token still expires on time, and only while its signing key is still published
            return hit.expiresAt().isAfter(clock.instant()) && keys.isPublished(hit.kid()) ? Optional.of(hit) : Optional.empty();
        }
        Optional<Claims> c = verifyNow(token);
        c.ifPresent(claims -> verified.put(key, claims));
        return c;
    }

    private Optional<Claims> verifyNow(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader h = jwt.getHeader();
            boolean legacyTyp = JOSEObjectType.JWT.equals(h.getType());
            if (h.getKeyID() == null || !(AccessTokens.AT_JWT.equals(h.getType()) || legacyTyp) || h.getJWKURL() != null
                    || h.getJWK() != null || h.getX509CertURL() != null || h.getCriticalParams() != null) {
                return Optional.empty();
            }
            // access tokens are ES256 only: an RS256 signature (our ID-token keys) is never one
            Optional<JWSVerifier> v = SigningAlgorithm.ES256.jws().equals(h.getAlgorithm())
                    ? keys.verifier(h.getKeyID(), h.getAlgorithm()) : Optional.empty();
            if (v.isEmpty() || !jwt.verify(v.get())) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            if (!issuer.equals(c.getIssuer()) || exp == null || !exp.toInstant().isAfter(clock.instant()) || c.getSubject() == null) {
                return Optional.empty();
            }
            if (legacyTyp && (c.getStringClaim("client_id") == null || c.getClaim("nonce") != null
                    || !jwtTypedClients.test(c.getStringClaim("client_id")))) {
                return Optional.empty();
            }
            Long ver = c.getLongClaim("ver");
            return Optional.of(new Claims(c.getSubject(), c.getStringClaim("client_id"), c.getStringClaim("sid"),
                    c.getStringClaim("scope"), ver == null ? null : ver.intValue(), c.getAudience(),
                    c.getIssueTime() == null ? null : c.getIssueTime().toInstant(), exp.toInstant(), c.getJWTID(), h.getKeyID(),
                    TokenPrincipal.kindOf(c), c.getStringClaim("org"), c.getStringListClaim("roles"), c.getStringListClaim("permissions"),
                    orgClaims(c)));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** The token's {@value OrgCustomClaims#CLAIM} (we signed them, so they passed {@link OrgCustomClaims}'s rules when minted). */
    private static OrgCustomClaims orgClaims(JWTClaimsSet c) throws ParseException {
        Map<String, Object> m = c.getJSONObjectClaim(OrgCustomClaims.CLAIM);
        if (m == null || m.isEmpty()) {
            return OrgCustomClaims.NONE;
        }
        try {
            return new OrgCustomClaims(m);
        } catch (LatchkeyException e) {
            throw new IllegalStateException("org_claims of a token we issued no longer pass the rules", e);
        }
    }
}
