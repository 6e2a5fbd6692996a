package dev.latchkey.sdk.token;

import com.nimbusds.jose.JWSHeader;
import java.util.Locale;
import java.util.Set;

/**
 * The checks on a JWS header, run in declaration order before any key is looked up, so a hostile header
 * costs neither a network fetch nor a signature operation.
 */
enum HeaderCheck {
    /** Only ES256, EdDSA/Ed25519 and RS256: never {@code none} (RFC 8725 §3.2), never HS* (§3.1, algorithm confusion). */
    ALGORITHM_ALLOWED {
        @Override
        void check(JWSHeader header, Set<String> types) throws TokenRejectedException {
            if (!KeyAdmission.ACCEPTED.contains(header.getAlgorithm())) {
                throw new TokenRejectedException(RejectReason.DISALLOWED_ALGORITHM, "alg " + Echo.of(header.getAlgorithm()));
            }
        }
    },
    /**
     * The key comes from the issuer's JWKS only: a header that names its own key or where to fetch one
     * ({@code jku}, {@code jwk}, {@code x5u}, {@code x5c}; RFC 7515 §4.1.2–4.1.6) is refused, as is
     * {@code crit} (§4.1.11), since this verifier understands no extension.
     */
    NO_EMBEDDED_KEYS {
        @Override
        void check(JWSHeader header, Set<String> types) throws TokenRejectedException {
            String forbidden = header.getJWKURL() != null ? "jku"
                    : header.getJWK() != null ? "jwk"
                    : header.getX509CertURL() != null ? "x5u"
                    : header.getX509CertChain() != null ? "x5c"
                    : header.getCriticalParams() != null ? "crit"
                    : null;
            if (forbidden != null) {
                throw new TokenRejectedException(RejectReason.FORBIDDEN_HEADER, "header carries " + forbidden);
            }
        }
    },
    /**
     * {@code typ} must be one of the expected types (by default {@code at+jwt}, RFC 9068 §4), with or without
     * the {@code application/} prefix, compared case-insensitively (RFC 7515 §4.1.9).
     */
    EXPECTED_TYPE {
        @Override
        void check(JWSHeader header, Set<String> types) throws TokenRejectedException {
            String typ = header.getType() == null ? null : header.getType().getType().toLowerCase(Locale.ROOT);
            String bare = typ != null && typ.startsWith("application/") ? typ.substring("application/".length()) : typ;
            if (bare == null || !types.contains(bare)) {
                throw new TokenRejectedException(RejectReason.WRONG_TYPE, "typ " + (typ == null ? "missing" : Echo.of(typ)));
            }
        }
    },
    /** The key is found by {@code kid} (RFC 7515 §4.1.4); the issuer always sets it. */
    KEY_ID_PRESENT {
        @Override
        void check(JWSHeader header, Set<String> types) throws TokenRejectedException {
            if (header.getKeyID() == null || header.getKeyID().isEmpty()) {
                throw new TokenRejectedException(RejectReason.UNKNOWN_KEY, "header has no kid");
            }
        }
    };

    abstract void check(JWSHeader header, Set<String> types) throws TokenRejectedException;

    /** @param types the accepted {@code typ} values, lower case, without {@code application/} */
    static void runAll(JWSHeader header, Set<String> types) throws TokenRejectedException {
        for (HeaderCheck check : values()) {
            check.check(header, types);
        }
    }
}
