package dev.latchkey.core.credential.passkey;

import dev.latchkey.core.authn.CompletedStep;
import java.util.Objects;
import java.util.UUID;

/**
 * A passkey assertion that passed every check: whose it is, the credential (with its new counter),
 * and the login-flow step it completes ({@code amr} {@code hwk} or {@code swk}, plus {@code user} when
 * the authenticator verified the user). Hand {@link #step()} to {@code LoginFlow.passkey} or
 * {@code LoginFlow.continueWith}.
 */
public record VerifiedPasskey(UUID userId, PasskeyCredential credential, boolean userVerified, CompletedStep step) {
    public VerifiedPasskey {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(step, "step");
    }
}
