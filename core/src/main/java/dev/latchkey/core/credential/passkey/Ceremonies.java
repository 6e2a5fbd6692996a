package dev.latchkey.core.credential.passkey;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.VerificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The WebAuthn ceremony checks (WebAuthn Level 3 §7.1 registration, §7.2 authentication), done by
 * webauthn4j: client data type, challenge, origin, RP ID hash, user presence, signature, algorithm,
 * backup-eligibility consistency and the signature counter. Attestation statements are accepted
 * without a trust path (Latchkey asks for {@code attestation: "none"}), so any authenticator works.
 */
final class Ceremonies {
    /** ES256, EdDSA, RS256, in the order of preference (WebAuthn §5.4 {@code pubKeyCredParams}). */
    static final List<Integer> ALGORITHMS = List.of(-7, -8, -257);

    private final WebAuthnManager manager;
    private final AttestedCredentialDataConverter acd;
    private final List<PublicKeyCredentialParameters> algorithms;

    Ceremonies() {
        ObjectConverter converter = new ObjectConverter();
        this.manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
        this.acd = new AttestedCredentialDataConverter(converter);
        this.algorithms = ALGORITHMS.stream()
                .map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.create(a)))
                .toList();
    }

    /** Why a response was refused; {@code counter} marks a counter that did not increase. */
    static final class Refusal extends Exception {
        final boolean counter;

        Refusal(String message, boolean counter) {
            super(message, null, false, false);
            this.counter = counter;
        }
    }

    /** A registration response as the browser sent it, parsed but not verified. */
    record ParsedRegistration(RegistrationData data, byte[] challenge) {
    }

    /** An authentication response, parsed but not verified. */
    record ParsedAssertion(AuthenticationData data, byte[] challenge, byte[] credentialId, byte[] userHandle) {
    }

    /** What a verified registration yields. */
    record NewCredential(byte[] credentialId, byte[] attestedCredentialData, long signCount, boolean userVerified,
                         boolean backupEligible, boolean backupState, List<String> transports) {
    }

    /** What a verified assertion yields. */
    record Assertion(long signCount, boolean userVerified, boolean backupState) {
    }

    ParsedRegistration parseRegistration(String json) throws Refusal {
        try {
            RegistrationData d = manager.parseRegistrationResponseJSON(json);
            CollectedClientData cd = d.getCollectedClientData();
            if (cd == null || cd.getChallenge() == null || d.getAttestationObject() == null) {
                throw new Refusal("registration response without client data or attestation object", false);
            }
            return new ParsedRegistration(d, cd.getChallenge().getValue());
        } catch (RuntimeException e) {
            // webauthn4j's DataConversionException, Jackson's parse errors, a missing field: all untrusted input gone wrong
            throw new Refusal("malformed registration response: " + e.getClass().getSimpleName(), false);
        }
    }

    ParsedAssertion parseAssertion(String json) throws Refusal {
        try {
            AuthenticationData d = manager.parseAuthenticationResponseJSON(json);
            CollectedClientData cd = d.getCollectedClientData();
            if (cd == null || cd.getChallenge() == null || d.getAuthenticatorData() == null || d.getCredentialId() == null) {
                throw new Refusal("assertion without client data, authenticator data or credential id", false);
            }
            return new ParsedAssertion(d, cd.getChallenge().getValue(), d.getCredentialId(), d.getUserHandle());
        } catch (RuntimeException e) {
            // webauthn4j's DataConversionException, Jackson's parse errors, a missing field: all untrusted input gone wrong
            throw new Refusal("malformed assertion: " + e.getClass().getSimpleName(), false);
        }
    }

    /** §7.1 steps 7–27 (attestation trust aside) for a response whose challenge was spent by this browser. */
    NewCredential verifyRegistration(ParsedRegistration r, RelyingParty rp) throws Refusal {
        try {
            manager.verify(r.data(), new RegistrationParameters(server(rp, r.challenge()), algorithms, false, true));
        } catch (VerificationException e) {
            throw new Refusal(e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        } catch (RuntimeException e) {
            throw new Refusal("registration not verifiable: " + e.getClass().getSimpleName(), false);
        }
        AuthenticatorData<?> ad = r.data().getAttestationObject().getAuthenticatorData();
        AttestedCredentialData credential = ad.getAttestedCredentialData();
        if (credential == null) {
            throw new Refusal("registration without attested credential data", false);
        }
        List<String> transports = r.data().getTransports() == null ? List.of()
                : r.data().getTransports().stream().map(AuthenticatorTransport::getValue).sorted().toList();
        return new NewCredential(credential.getCredentialId(), acd.convert(credential), ad.getSignCount(), ad.isFlagUV(), ad.isFlagBE(),
                ad.isFlagBS(), transports);
    }

    /** §7.2 steps 7–24 against the stored credential; {@code allowed} is the allowCredentials list (empty: any of the user's). */
    Assertion verifyAssertion(ParsedAssertion a, PasskeyCredential stored, List<byte[]> allowed, RelyingParty rp) throws Refusal {
        Set<AuthenticatorTransport> transports = stored.transports().stream().map(AuthenticatorTransport::create)
                .collect(Collectors.toCollection(HashSet::new));
        CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), stored.uvInitialized(), stored.backupEligible(),
                stored.backupState(), stored.signCount(), acd.convert(stored.attestedCredentialData()), null, null, null, transports);
        try {
            manager.verify(a.data(), new AuthenticationParameters(server(rp, a.challenge()), record, allowed.isEmpty() ? null : allowed,
                    false, true));
        } catch (MaliciousCounterValueException e) {
            throw new Refusal("sign counter " + a.data().getAuthenticatorData().getSignCount() + " not above stored " + stored.signCount(), true);
        } catch (VerificationException e) {
            throw new Refusal(e.getClass().getSimpleName() + ": " + e.getMessage(), false);
        } catch (RuntimeException e) {
            throw new Refusal("assertion not verifiable: " + e.getClass().getSimpleName(), false);
        }
        AuthenticatorData<?> ad = a.data().getAuthenticatorData();
        return new Assertion(ad.getSignCount(), ad.isFlagUV(), ad.isFlagBS());
    }

    private static ServerProperty server(RelyingParty rp, byte[] challenge) {
        return ServerProperty.builder()
                .origins(rp.origins().stream().map(Origin::new).collect(Collectors.toSet()))
                .rpId(rp.id())
                .challenge(new DefaultChallenge(challenge))
                .build();
    }
}
