package dev.latchkey.core.credential.passkey;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.UUID;

/**
 * A software WebAuthn authenticator and client for the ceremony tests: one P-256 credential, "none"
 * attestation, a counter that increases with each assertion (settable, to act as a clone), and the
 * flags a test chooses. It produces the JSON a browser's {@code PublicKeyCredential.toJSON()} gives.
 */
final class SoftAuthenticator {
    static final byte UP = 0x01;
    static final byte UV = 0x04;
    static final byte BE = 0x08;
    static final byte BS = 0x10;
    static final byte AT = 0x40;

    private static final ObjectConverter CONVERTER = new ObjectConverter();

    final byte[] credentialId = new byte[32];
    final KeyPair keys;
    long counter;
    byte flags = (byte) (UP | UV);
    byte[] userHandle;
    String origin = "https://login.example.com";

    SoftAuthenticator() {
        new java.security.SecureRandom().nextBytes(credentialId);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys = g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    SoftAuthenticator synced() {
        flags = (byte) (flags | BE | BS);
        return this;
    }

    SoftAuthenticator withoutUserVerification() {
        flags = (byte) (flags & ~UV);
        return this;
    }

    /** The registration response for {@code options} (navigator.credentials.create). */
    String register(CeremonyOptions.Creation options) {
        userHandle = Base64.getUrlDecoder().decode(options.user().id());
        String clientData = clientData("webauthn.create", options.challenge());
        AttestedCredentialData acd = new AttestedCredentialData(new AAGUID(new UUID(0, 0)), credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput> ad =
                new AuthenticatorData<>(sha256(options.rp().id().getBytes(StandardCharsets.UTF_8)), (byte) (flags | AT), counter, acd);
        byte[] ao = new AttestationObjectConverter(CONVERTER).convertToBytes(new AttestationObject(ad, new NoneAttestationStatement()));
        return "{\"id\":\"" + b64(credentialId) + "\",\"rawId\":\"" + b64(credentialId) + "\",\"type\":\"public-key\","
                + "\"response\":{\"clientDataJSON\":\"" + b64(clientData.getBytes(StandardCharsets.UTF_8)) + "\",\"attestationObject\":\""
                + b64(ao) + "\",\"transports\":[\"internal\"]},\"clientExtensionResults\":{},\"authenticatorAttachment\":\"platform\"}";
    }

    /** An assertion for {@code options} (navigator.credentials.get); the counter goes up by one first. */
    String assertion(CeremonyOptions.Request options) {
        counter++;
        return assertion(options.rpId(), clientData("webauthn.get", options.challenge()), counter);
    }

    String assertion(String rpId, String clientData, long count) {
        byte[] ad = authenticatorData(rpId, count);
        return assertionJson(clientData.getBytes(StandardCharsets.UTF_8), ad, sign(ad, clientData.getBytes(StandardCharsets.UTF_8)));
    }

    byte[] authenticatorData(String rpId, long count) {
        return new AuthenticatorDataConverter(CONVERTER).convert(new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags, count));
    }

    String assertionJson(byte[] clientData, byte[] authenticatorData, byte[] signature) {
        return "{\"id\":\"" + b64(credentialId) + "\",\"rawId\":\"" + b64(credentialId) + "\",\"type\":\"public-key\","
                + "\"response\":{\"clientDataJSON\":\"" + b64(clientData) + "\",\"authenticatorData\":\"" + b64(authenticatorData)
                + "\",\"signature\":\"" + b64(signature) + "\",\"userHandle\":\"" + b64(userHandle) + "\"},\"clientExtensionResults\":{}}";
    }

    String clientData(String type, String challenge) {
        return "{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin + "\",\"crossOrigin\":false}";
    }

    byte[] sign(byte[] authenticatorData, byte[] clientData) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(authenticatorData);
            s.update(sha256(clientData));
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
