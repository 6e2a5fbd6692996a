package dev.latchkey.core.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * Sign in with Apple's client secret: not a fixed string but an ES256 JWT signed with the developer's
 * private key ({@code iss} team id, {@code sub} client id, {@code aud} https://appleid.apple.com,
 * {@code kid} the key id, at most six months valid). Latchkey signs a fresh one, valid five minutes,
 * for every token request.
 */
public final class AppleClientSecret {
    static final Duration VALIDITY = Duration.ofMinutes(5);

    /** The team and key id of the Apple developer key; the key itself is the provider's client secret (PEM). */
    public record Signer(String teamId, String keyId) {
        public Signer {
            if (teamId == null || !teamId.matches("[A-Z0-9]{10}") || keyId == null || !keyId.matches("[A-Z0-9]{10}")) {
                throw new IllegalArgumentException("Apple team id and key id are 10 upper-case letters or digits each");
            }
        }
    }

    private AppleClientSecret() {
    }

    /** The client secret for {@code clientId} at {@code now}, signed with the PKCS#8 PEM private key {@code pem}. */
    public static String sign(Signer signer, String clientId, String pem, Instant now) {
        Objects.requireNonNull(signer, "signer");
        ECPrivateKey key;
        try {
            String b64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            key = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("the Apple client secret must be the EC private key (.p8, PKCS#8 PEM)");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(signer.teamId()).subject(clientId)
                .audience("https://appleid.apple.com").issueTime(Date.from(now)).expirationTime(Date.from(now.plus(VALIDITY))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signer.keyId()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign the Apple client secret: " + e.getMessage());
        }
        return jwt.serialize();
    }
}
