package dev.latchkey.sdk.token;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The checks on a verified token's claims (RFC 9068 §4), run in declaration order after the signature.
 * Time comparisons use the injected clock and allow {@code skew} either way.
 */
enum ClaimCheck {
    /**
     * RFC 9068 §2.2: {@code iss exp aud sub client_id iat jti} are required ({@code client_id} only when
     * {@link Rules#clientIdRequired()}, the default).
     */
    REQUIRED_CLAIMS {
        @Override
        void check(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException {
            for (String name : rules.clientIdRequired() ? REQUIRED : REQUIRED_WITHOUT_CLIENT_ID) {
                if (claims.getClaim(name) == null) {
                    throw new TokenRejectedException(RejectReason.MALFORMED, "missing claim " + name);
                }
            }
        }
    },
    /** {@code iss} equals the configured issuer exactly (RFC 9068 §4 step 3). */
    ISSUER {
        @Override
        void check(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException {
            if (!rules.issuer().equals(claims.getIssuer())) {
                throw new TokenRejectedException(RejectReason.WRONG_ISSUER, "iss " + Echo.of(claims.getIssuer()));
            }
        }
    },
    /** {@code aud} contains one of the expected audiences (RFC 9068 §4 step 4). */
    AUDIENCE {
        @Override
        void check(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException {
            List<String> audience = claims.getAudience();
            for (String aud : audience) {
                if (rules.audiences().contains(aud)) {
                    return;
                }
            }
            throw new TokenRejectedException(RejectReason.WRONG_AUDIENCE, "aud " + Echo.of(audience, 200));
        }
    },
    /** {@code exp} is not in the past (RFC 7519 §4.1.4; RFC 9068 §4 step 7). */
    NOT_EXPIRED {
        @Override
        void check(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException {
            Instant exp = claims.getExpirationTime().toInstant();
            if (now.isAfter(exp.plus(rules.skew()))) {
                throw new TokenRejectedException(RejectReason.EXPIRED, "exp " + exp + " is before " + now);
            }
        }
    },
    /** {@code nbf}, when present, and {@code iat} are not in the future (RFC 7519 §4.1.5, §4.1.6). */
    ALREADY_VALID {
        @Override
        void check(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException {
            Instant latest = now.plus(rules.skew());
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && nbf.toInstant().isAfter(latest)) {
                throw new TokenRejectedException(RejectReason.NOT_YET_VALID, "nbf " + nbf.toInstant() + " is after " + now);
            }
            Instant iat = claims.getIssueTime().toInstant();
            if (iat.isAfter(latest)) {
                throw new TokenRejectedException(RejectReason.NOT_YET_VALID, "iat " + iat + " is after " + now);
            }
        }
    };

    private static final List<String> REQUIRED = List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");
    private static final List<String> REQUIRED_WITHOUT_CLIENT_ID = List.of("iss", "exp", "aud", "sub", "iat", "jti");

    /** What the checks compare against. */
    record Rules(String issuer, Set<String> audiences, Duration skew, boolean clientIdRequired) {
        Rules {
            audiences = Set.copyOf(audiences);
        }
    }

    abstract void check(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException;

    static void runAll(JWTClaimsSet claims, Rules rules, Instant now) throws TokenRejectedException {
        for (ClaimCheck check : values()) {
            check.check(claims, rules, now);
        }
    }
}
