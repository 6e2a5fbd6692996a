package dev.latchkey.sdk.token;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Set;

/**
 * Decides which algorithm a published key may verify, from the key's own type and curve, never from the
 * token header: ES256 for EC P-256 (RFC 7518 §3.4), EdDSA/Ed25519 for OKP Ed25519 (RFC 8037 §3.1,
 * RFC 9864), RS256 for RSA of at least 2048 bits (RFC 7518 §3.3). Symmetric keys, other curves, keys
 * with {@code use} other than {@code sig} (RFC 7517 §4.2) and keys whose {@code alg} disagrees are refused.
 * This is what makes algorithm confusion (an HS256 token "signed" with the public key) impossible.
 */
final class KeyAdmission {
    static final int MIN_RSA_BITS = 2048;
    static final Set<JWSAlgorithm> ACCEPTED = Set.of(
            JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.RS256);

    private KeyAdmission() {
    }

    static PublishedKey admit(JWK jwk) {
        String kid = jwk.getKeyID();
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return new PublishedKey.Refused(kid, "use is " + jwk.getKeyUse().identifier() + ", not sig");
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return new PublishedKey.Refused(kid, "key_ops does not include verify");
        }
        try {
            PublishedKey key = switch (jwk) {
                case ECKey ec when Curve.P_256.equals(ec.getCurve()) ->
                        new PublishedKey.Usable(kid, Set.of(JWSAlgorithm.ES256), new ECDSAVerifier(ec.toPublicJWK()));
                case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) ->
                        new PublishedKey.Usable(kid, Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519),
                                new Ed25519JdkVerifier(okp.toPublicJWK()));
                case RSAKey rsa when rsa.size() >= MIN_RSA_BITS ->
                        new PublishedKey.Usable(kid, Set.of(JWSAlgorithm.RS256), new RSASSAVerifier(rsa.toPublicJWK()));
                case RSAKey rsa -> new PublishedKey.Refused(kid, "RSA key of " + rsa.size() + " bits");
                default -> new PublishedKey.Refused(kid, "unsupported key type " + jwk.getKeyType()
                        + (jwk instanceof com.nimbusds.jose.jwk.CurveBasedJWK c ? " on " + c.getCurve() : ""));
            };
            return restrictToDeclaredAlgorithm(jwk.getAlgorithm(), key);
        } catch (JOSEException e) {
            return new PublishedKey.Refused(kid, "unusable key: " + e.getMessage());
        }
    }

    /** A key that declares {@code alg} (RFC 7517 §4.4) verifies that algorithm only. */
    private static PublishedKey restrictToDeclaredAlgorithm(Algorithm declared, PublishedKey key) {
        if (declared == null || !(key instanceof PublishedKey.Usable usable)) {
            return key;
        }
        JWSAlgorithm alg = JWSAlgorithm.parse(declared.getName());
        if (!usable.algorithms().contains(alg)) {
            return new PublishedKey.Refused(key.kid(), "declared alg " + declared + " does not fit the key");
        }
        return new PublishedKey.Usable(usable.kid(), Set.of(alg), usable.verifier());
    }
}
