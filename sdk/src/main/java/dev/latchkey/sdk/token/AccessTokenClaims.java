package dev.latchkey.sdk.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/** Maps checked RFC 9068 claims, plus Latchkey's {@code org roles permissions ver}, onto a {@link VerifiedToken}. */
final class AccessTokenClaims {
    private AccessTokenClaims() {
    }

    static VerifiedToken map(JWTClaimsSet claims, String payloadJson) throws TokenRejectedException {
        try {
            return new VerifiedToken(
                    claims.getSubject(),
                    clientId(claims),
                    Optional.ofNullable(claims.getStringClaim("sid")),
                    Optional.ofNullable(claims.getStringClaim("org")),
                    stringSet(claims, "roles"),
                    stringSet(claims, "permissions"),
                    scopes(claims.getStringClaim("scope")),
                    version(claims.getClaim("ver")),
                    claims.getJWTID(),
                    claims.getAudience(),
                    claims.getIssueTime().toInstant(),
                    claims.getExpirationTime().toInstant(),
                    new Claims(claims, payloadJson));
        } catch (ParseException | NullPointerException e) {
            throw new TokenRejectedException(RejectReason.MALFORMED, "claim of the wrong type: " + e.getMessage());
        }
    }

    /** {@code client_id}; empty only for a verifier built with {@code clientIdRequired(false)}, whose checks let it be absent. */
    private static String clientId(JWTClaimsSet claims) throws ParseException {
        String clientId = claims.getStringClaim("client_id");
        return clientId == null ? "" : clientId;
    }

    /** RFC 9068 §2.2.3: {@code scope} is a space-delimited string (RFC 6749 §3.3). */
    private static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<String> stringSet(JWTClaimsSet claims, String name) throws ParseException {
        List<String> values = claims.getStringListClaim(name);
        return values == null ? Set.of() : Set.copyOf(values);
    }

    private static OptionalLong version(Object ver) throws ParseException {
        if (ver == null) {
            return OptionalLong.empty();
        }
        if (ver instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return OptionalLong.of(n.longValue());
        }
        throw new ParseException("ver is not an integer", 0);
    }
}
