package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.key.KeyRing;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies access tokens this server issued (for its own endpoints: {@code /api/auth/me},
 * userinfo, introspection). Only our keys, only the algorithm the key was made for, only
 * {@code typ: at+jwt} (RFC 9068 §4), our issuer, and an unexpired {@code exp}.
 */
public final class AccessTokenVerifier {
    /** The claims Latchkey's own endpoints use. */
    public record Claims(String subject, String clientId, String sessionId, String scope, Integer securityVersion,
                         List<String> audience, Instant issuedAt, Instant expiresAt, String jti) {
    }

    private final KeyRing keys;
    private final Clock clock;
    private final String issuer;

    public AccessTokenVerifier(KeyRing keys, Clock clock, String issuer) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    public Claims verify(String token) {
        return tryVerify(token).orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_TOKEN, "access token rejected"));
    }

    public Optional<Claims> tryVerify(String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader h = jwt.getHeader();
            if (h.getKeyID() == null || !AccessTokens.AT_JWT.equals(h.getType()) || h.getJWKURL() != null
                    || h.getJWK() != null || h.getX509CertURL() != null || h.getCriticalParams() != null) {
                return Optional.empty();
            }
            Optional<JWSVerifier> v = keys.verifier(h.getKeyID(), h.getAlgorithm());
            if (v.isEmpty() || !jwt.verify(v.get())) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Date exp = c.getExpirationTime();
            if (!issuer.equals(c.getIssuer()) || exp == null || !exp.toInstant().isAfter(clock.instant()) || c.getSubject() == null) {
                return Optional.empty();
            }
            Long ver = c.getLongClaim("ver");
            return Optional.of(new Claims(c.getSubject(), c.getStringClaim("client_id"), c.getStringClaim("sid"),
                    c.getStringClaim("scope"), ver == null ? null : ver.intValue(), c.getAudience(),
                    c.getIssueTime() == null ? null : c.getIssueTime().toInstant(), exp.toInstant(), c.getJWTID()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
