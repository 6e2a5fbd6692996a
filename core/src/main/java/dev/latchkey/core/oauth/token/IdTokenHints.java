package dev.latchkey.core.oauth.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.key.KeyRing;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;

/**
 * Reads an {@code id_token_hint} (OIDC RP-Initiated Logout §2): an ID token we issued, signature
 * and issuer checked; it may have expired (a logout often comes long after sign-in).
 */
public final class IdTokenHints {
    /** What the hint says. */
    public record Hint(String subject, List<String> audience, String sessionId) {
    }

    private final KeyRing keys;
    private final String issuer;

    public IdTokenHints(KeyRing keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public Optional<Hint> read(String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // an ID token is typ JWT; an access token (at+jwt) is not a hint (RFC 9068 §4, no token confusion)
            if (jwt.getHeader().getType() != null && !JOSEObjectType.JWT.equals(jwt.getHeader().getType())) {
                return Optional.empty();
            }
            String kid = jwt.getHeader().getKeyID();
            Optional<JWSVerifier> v = kid == null ? Optional.empty() : keys.verifier(kid, jwt.getHeader().getAlgorithm());
            if (v.isEmpty() || !jwt.verify(v.get())) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!issuer.equals(c.getIssuer()) || c.getSubject() == null || c.getAudience() == null || c.getAudience().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Hint(c.getSubject(), c.getAudience(), c.getStringClaim("sid")));
        } catch (ParseException | JOSEException e) {
            return Optional.empty();
        }
    }
}
