package dev.latchkey.core.credential.passkey;

import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.credential.SecondFactor;
import java.util.Objects;
import java.util.UUID;

/**
 * Passkeys as a second factor: a user with at least one passkey is asked for one after a password
 * or a mailed link (the login flow answers {@code StepNeeded} with {@link Factor#PASSKEY}); the step
 * is verified by {@link PasskeyService#verifySecondFactor}.
 */
public final class PasskeySecondFactor implements SecondFactor {
    private final PasskeyStore store;

    public PasskeySecondFactor(PasskeyStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public Factor factor() {
        return Factor.PASSKEY;
    }

    /** Registered on the account page (a WebAuthn ceremony of its own), not in the enrolment step of a sign-in. */
    @Override
    public boolean enrolsDuringSignIn() {
        return false;
    }

    @Override
    public boolean enrolled(UUID userId) {
        return store.any(userId);
    }
}
