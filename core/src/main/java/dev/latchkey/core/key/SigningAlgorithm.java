package dev.latchkey.core.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.util.Optional;

/**
 * The algorithms Latchkey signs with, each with its own key in the {@link KeyRing}, rotated on the
 * same schedule. ES256 (RFC 7518 §3.4) signs every access token and the ID tokens of clients that
 * register it; RS256 (§3.3) signs the other ID tokens, because OpenID Connect Discovery 1.0 §3 makes
 * it mandatory for {@code id_token_signing_alg_values_supported} and OIDC Dynamic Client
 * Registration §2 makes it the default of {@code id_token_signed_response_alg}.
 */
public enum SigningAlgorithm {
    ES256(JWSAlgorithm.ES256) {
        @Override
        JWK generate(String kid) throws JOSEException {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        }

        @Override
        JWSSigner signer(String privateJwk) throws ParseException, JOSEException {
            return Es256.signer(ECKey.parse(privateJwk));
        }

        @Override
        JWSVerifier verifier(String publicJwk) throws ParseException {
            return Es256.verifier(ECKey.parse(publicJwk));
        }
    },
    /** RSA 2048 (RFC 7518 §3.3 asks for at least 2048 bits); generating one takes tens to hundreds of milliseconds. */
    RS256(JWSAlgorithm.RS256) {
        @Override
        JWK generate(String kid) throws JOSEException {
            return new RSAKeyGenerator(RSAKeyGenerator.MIN_KEY_SIZE_BITS).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        }

        @Override
        JWSSigner signer(String privateJwk) throws ParseException, JOSEException {
            return new RSASSASigner(RSAKey.parse(privateJwk));
        }

        @Override
        JWSVerifier verifier(String publicJwk) throws ParseException, JOSEException {
            return new RSASSAVerifier(RSAKey.parse(publicJwk));
        }
    };

    private final JWSAlgorithm jws;

    SigningAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    /** The JOSE {@code alg} value. */
    public JWSAlgorithm jws() {
        return jws;
    }

    /** The {@code alg} name, as registered (e.g. {@code id_token_signed_response_alg}) and stored. */
    public String wireName() {
        return jws.getName();
    }

    public static Optional<SigningAlgorithm> fromWire(String name) {
        for (SigningAlgorithm a : values()) {
            if (a.wireName().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** A fresh key pair (private part included) with this algorithm, {@code use: sig} and the kid. */
    abstract JWK generate(String kid) throws JOSEException;

    abstract JWSSigner signer(String privateJwk) throws ParseException, JOSEException;

    abstract JWSVerifier verifier(String publicJwk) throws ParseException, JOSEException;
}
