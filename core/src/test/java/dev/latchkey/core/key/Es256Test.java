package dev.latchkey.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Our ES256 interoperates with the JDK provider both ways and refuses what it must. */
class Es256Test {
    static final JWSHeader HEADER = new JWSHeader(JWSAlgorithm.ES256);

    @Test
    void interoperatesWithTheJdkProvider() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        for (int i = 0; i < 50; i++) {
            SignedJWT ours = new SignedJWT(HEADER, new JWTClaimsSet.Builder().subject("s" + i).build());
            ours.sign(Es256.signer(key));
            assertThat(ours.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
            assertThat(ours.verify(Es256.verifier(key.toPublicJWK()))).isTrue();

            SignedJWT theirs = new SignedJWT(HEADER, new JWTClaimsSet.Builder().subject("t" + i).build());
            theirs.sign(new ECDSASigner(key));
            assertThat(theirs.verify(Es256.verifier(key.toPublicJWK()))).isTrue();
        }
    }

    @Test
    void refusesWrongKeysTamperingAndMalformedSignatures() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
        Base64URL sig = Es256.signer(key).sign(HEADER, input);
        var v = Es256.verifier(key.toPublicJWK());
        assertThat(v.verify(HEADER, input, sig)).isTrue();
        assertThat(Es256.verifier(other.toPublicJWK()).verify(HEADER, input, sig)).isFalse();
        assertThat(v.verify(HEADER, "header.payloaD".getBytes(StandardCharsets.US_ASCII), sig)).isFalse();
        assertThat(v.verify(HEADER, input, Base64URL.encode(new byte[64]))).isFalse();                 // r = s = 0
        assertThat(v.verify(HEADER, input, Base64URL.encode(new byte[63]))).isFalse();
        assertThat(v.verify(new JWSHeader(JWSAlgorithm.ES384), input, sig)).isFalse();
        byte[] flipped = sig.decode();
        flipped[10] ^= 1;
        assertThat(v.verify(HEADER, input, Base64URL.encode(flipped))).isFalse();
        // deterministic nonces (RFC 6979): the same input signs to the same value
        assertThat(Es256.signer(key).sign(HEADER, input)).isEqualTo(sig);
    }
}
