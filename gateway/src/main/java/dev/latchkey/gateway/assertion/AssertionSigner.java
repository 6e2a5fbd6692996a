package dev.latchkey.gateway.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.gateway.session.UserClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * Signs the {@code Latchkey-Assertion} header the frontend receives: an ES256 JWT (RFC 7519, JOSE header
 * {@code typ: JWT}, {@code kid}) with {@code iss} = the gateway's public URL, {@code aud}, {@code sub},
 * {@code email}, {@code name}, {@code org}, {@code roles}, and when the access token has them {@code permissions},
 * {@code acr}, {@code amr}, {@code auth_time}, {@code iat}, {@code exp} = iat + 60 s and a unique
 * {@code jti}. Verifiable with the keys at {@code /auth/jwks.json}.
 */
public final class AssertionSigner {
    public static final String HEADER = "Latchkey-Assertion";
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    private final SigningKeys keys;
    private final ECDSASigner signer;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public AssertionSigner(SigningKeys keys, String issuer, String audience, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
        try {
            this.signer = new ECDSASigner(keys.current());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String sign(UserClaims user) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(user.sub())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).jwtID(UUID.randomUUID().toString())
                .claim("roles", user.roles());
        user.email().ifPresent(e -> c.claim("email", e));
        user.name().ifPresent(n -> c.claim("name", n));
        user.org().ifPresent(o -> c.claim("org", o));
        UserClaims.Access access = user.access();
        if (!access.permissions().isEmpty()) {
            c.claim("permissions", access.permissions());
        }
        access.acr().ifPresent(v -> c.claim("acr", v));
        if (!access.amr().isEmpty()) {
            c.claim("amr", access.amr());
        }
        access.authTime().ifPresent(v -> c.claim("auth_time", v.getEpochSecond()));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(keys.current().getKeyID()).build(),
                c.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public String jwks() {
        return keys.publicJwks();
    }
}
