package dev.latchkey.core.credential.passkey;

import java.util.List;

/**
 * The options a browser passes to {@code navigator.credentials.create()} / {@code get()}, shaped as
 * WebAuthn Level 3's JSON forms (§5.1.1 {@code PublicKeyCredentialCreationOptionsJSON}, §5.5
 * {@code PublicKeyCredentialRequestOptionsJSON}): binary values base64url, names as in the spec, so
 * the server serialises them as they are and {@code PublicKeyCredential.parse…OptionsFromJSON} reads them.
 */
public final class CeremonyOptions {
    private CeremonyOptions() {
    }

    public record Creation(RpEntity rp, UserEntity user, String challenge, List<CredentialParameters> pubKeyCredParams, long timeout,
                           List<Descriptor> excludeCredentials, AuthenticatorSelection authenticatorSelection, String attestation) {
    }

    public record Request(String challenge, long timeout, String rpId, List<Descriptor> allowCredentials, String userVerification) {
    }

    public record RpEntity(String id, String name) {
    }

    public record UserEntity(String id, String name, String displayName) {
    }

    public record CredentialParameters(String type, int alg) {
    }

    public record Descriptor(String type, String id, List<String> transports) {
    }

    public record AuthenticatorSelection(String residentKey, boolean requireResidentKey, String userVerification) {
    }
}
