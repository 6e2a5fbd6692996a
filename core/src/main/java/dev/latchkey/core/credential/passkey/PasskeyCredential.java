package dev.latchkey.core.credential.passkey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A registered passkey (a WebAuthn public key credential source's server-side record, WebAuthn Level 3
 * §4 "Credential Record"): the credential id, the attested credential data (AAGUID, id and COSE public
 * key, as the authenticator sent them), the signature counter, the UV-initialized, backup-eligible (BE)
 * and backup-state (BS) flags, the transports, and what the account page shows.
 */
public record PasskeyCredential(UUID id, UUID userId, byte[] credentialId, byte[] attestedCredentialData, long signCount,
                                boolean uvInitialized, boolean backupEligible, boolean backupState, List<String> transports,
                                String name, Instant createdAt, Instant lastUsedAt) {
    /** Longest name a person can give a passkey. */
    public static final int MAX_NAME = 64;

    public PasskeyCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(attestedCredentialData, "attestedCredentialData");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        transports = List.copyOf(transports);
        if (signCount < 0 || signCount > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("a sign count is an unsigned 32-bit integer");
        }
        if (name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("a passkey name has 1 to " + MAX_NAME + " characters");
        }
    }

    /** Synced (multi-device) when backup eligible: the key can leave the authenticator ({@code swk} rather than {@code hwk}). */
    public boolean synced() {
        return backupEligible;
    }
}
