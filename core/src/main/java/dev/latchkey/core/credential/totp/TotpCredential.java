package dev.latchkey.core.credential.totp;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A user's authenticator-app secret, sealed with the master key (bound to the credential id), pending
 * until the user typed a valid code ({@code confirmedAt} null). {@code lastStep} is the last time step
 * a code was accepted for: a code is accepted once (RFC 6238 §5.2), also across nodes.
 */
public record TotpCredential(UUID id, UUID userId, byte[] sealedSecret, Instant createdAt, Instant confirmedAt, long lastStep) {
    public TotpCredential {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean confirmed() {
        return confirmedAt != null;
    }

    /** The associated data the secret is sealed with: a sealed secret moved to another row does not open. */
    public static String sealContext(UUID id) {
        return "totp:" + id;
    }
}
