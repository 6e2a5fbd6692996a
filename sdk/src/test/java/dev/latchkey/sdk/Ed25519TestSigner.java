package dev.latchkey.sdk;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Set;

/** Signs EdDSA with the JDK (Nimbus' own Ed25519 signer needs Tink); keeps the JDK private key beside the JWK. */
public final class Ed25519TestSigner implements JWSSigner {
    private static final java.util.Map<String, PrivateKey> PRIVATE = new java.util.concurrent.ConcurrentHashMap<>();
    private final PrivateKey key;

    private Ed25519TestSigner(PrivateKey key) {
        this.key = key;
    }

    /** A fresh Ed25519 key as a public OKP JWK; its private half stays in this class. */
    public static OctetKeyPair newKey(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            PRIVATE.put(kid, pair.getPrivate());
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner of(JWK jwk) {
        PrivateKey key = PRIVATE.get(jwk.getKeyID());
        if (key == null) {
            throw new IllegalArgumentException("no Ed25519 private key for " + jwk.getKeyID());
        }
        return new Ed25519TestSigner(key);
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(signingInput);
            return Base64URL.encode(s.sign());
        } catch (GeneralSecurityException e) {
            throw new JOSEException(e.getMessage(), e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
        return new JCAContext();
    }
}
