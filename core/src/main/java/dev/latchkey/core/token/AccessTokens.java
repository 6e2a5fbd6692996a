package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.key.KeyRing;
import dev.latchkey.core.key.SigningAlgorithm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Mints JWT access tokens per RFC 9068: header {@code typ: at+jwt} (§2.1), claims {@code iss sub aud
 * exp iat jti client_id scope} (§2.2) plus what {@link TokenPrincipal} gives the principal ({@code sid
 * ver org roles} for a user, {@code sub_type} for a client); always ES256, with the active key.
 */
public final class AccessTokens {
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final KeyRing keys;
    private final Clock clock;
    private final String issuer;
    private final Duration ttl;
    private final UnaryOperator<TokenPrincipal.User> userClaims;

    public AccessTokens(KeyRing keys, Clock clock, String issuer, Duration ttl) {
        this(keys, clock, issuer, ttl, UnaryOperator.identity());
    }

    /**
     * @param userClaims gives a user the current {@code org roles permissions} of the organization the
     *                   grant chose ({@code core/org/OrgClaims#current}), read at every mint
     */
    public AccessTokens(KeyRing keys, Clock clock, String issuer, Duration ttl, UnaryOperator<TokenPrincipal.User> userClaims) {
        this.userClaims = Objects.requireNonNull(userClaims, "userClaims");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("access token lifetime must be between 1 s and 15 min");
        }
    }

    public Duration ttl() {
        return ttl;
    }

    public String issuer() {
        return issuer;
    }

    public IssuedAccessToken issue(AccessTokenRequest r) {
        return issue(r, UnaryOperator.identity(), ttl);
    }

    /**
     * Mints with {@code narrow} applied to a user's claims after their organization's current ones are read (an API
     * key's exchange narrows them to the key's organization and permissions; it may refuse by throwing), and with
     * its own lifetime ({@code ttl}, at most this minter's).
     */
    public IssuedAccessToken issue(AccessTokenRequest r, UnaryOperator<TokenPrincipal.User> narrow, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(this.ttl) > 0) {
            throw new IllegalArgumentException("a token's lifetime is between 1 s and the minter's " + this.ttl);
        }
        Instant now = clock.instant();
        Instant iat = Instant.ofEpochSecond(now.getEpochSecond());
        Instant exp = iat.plus(ttl);
        String jti = RandomTokens.token(16);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(r.audience())
                .expirationTime(Date.from(exp))
                .issueTime(Date.from(iat))
                .jwtID(jti)
                .claim("client_id", r.clientId());
        TokenPrincipal principal = r.principal() instanceof TokenPrincipal.User u ? narrow.apply(userClaims.apply(u)) : r.principal();
        principal.writeTo(c);
        if (r.scope() != null && !r.scope().isBlank()) {
            c.claim("scope", r.scope());
        }
        return new IssuedAccessToken(sign(c.build(), r.jwtTyped() ? JOSEObjectType.JWT : AT_JWT, SigningAlgorithm.ES256), jti, iat, exp);
    }

    /** Signs any claims set with the active ES256 key (the access-token algorithm) and the given {@code typ}. */
    public String sign(JWTClaimsSet claims, JOSEObjectType type) {
        return sign(claims, type, SigningAlgorithm.ES256);
    }

    /** Signs any claims set with the active key of {@code alg} and the given {@code typ} (used for ID tokens too). */
    public String sign(JWTClaimsSet claims, JOSEObjectType type, SigningAlgorithm alg) {
        KeyRing.ActiveKey key = keys.active(alg);
        JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(type).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed with key " + key.kid(), e);
        }
        return jwt.serialize();
    }
}
