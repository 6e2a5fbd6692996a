package dev.latchkey.core.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Set;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.util.BigIntegers;

/**
 * ES256 (RFC 7518 §3.4) on Bouncy Castle's specialised P-256 arithmetic, behind Nimbus's signer and
 * verifier interfaces. On this project's machines it signs about twice and verifies about six times
 * as fast as the JDK provider (see docs/benchmarks.md), which matters because every token issued is
 * signed and every first presentation verified. Nonces are deterministic (RFC 6979), so signing
 * does not depend on the quality of a random source.
 */
public final class Es256 {
    private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());
    private static final Set<JWSAlgorithm> ALGS = Set.of(JWSAlgorithm.ES256);

    private Es256() {
    }

    public static JWSSigner signer(ECKey key) throws JOSEException {
        if (!key.isPrivate()) {
            throw new JOSEException("an ES256 signer needs the private key");
        }
        return new Signer(new ECPrivateKeyParameters(key.getD().decodeToBigInteger(), DOMAIN));
    }

    public static JWSVerifier verifier(ECKey key) {
        var point = DOMAIN.getCurve().createPoint(key.getX().decodeToBigInteger(), key.getY().decodeToBigInteger());
        return new Verifier(new ECPublicKeyParameters(point, DOMAIN));
    }

    private static byte[] sha256(byte[] input) {
        SHA256Digest d = new SHA256Digest();
        d.update(input, 0, input.length);
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        return h;
    }

    private static final class Signer implements JWSSigner {
        private final ECPrivateKeyParameters key;
        private final JCAContext jca = new JCAContext();

        Signer(ECPrivateKeyParameters key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
                throw new JOSEException("only ES256");
            }
            ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            s.init(true, key);
            BigInteger[] rs = s.generateSignature(sha256(signingInput));
            byte[] out = new byte[64];
            BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
            BigIntegers.asUnsignedByteArray(rs[1], out, 32, 32);
            return Base64URL.encode(out);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGS;
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }

    private static final class Verifier implements JWSVerifier {
        private final ECPublicKeyParameters key;
        private final JCAContext jca = new JCAContext();

        Verifier(ECPublicKeyParameters key) {
            this.key = key;
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
                return false;
            }
            byte[] sig = signature.decode();
            if (sig.length != 64) {
                return false;
            }
            BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
            BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            ECDSASigner v = new ECDSASigner();
            v.init(false, key);
            return v.verifySignature(sha256(signingInput), r, s);
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return ALGS;
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
