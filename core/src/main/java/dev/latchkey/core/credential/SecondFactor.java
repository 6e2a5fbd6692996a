package dev.latchkey.core.credential;

import dev.latchkey.core.authn.Factor;
import java.util.UUID;

/**
 * A credential kind that can be required after the first factor (TOTP, recovery codes, passkeys).
 * The login flow asks every registered one whether the user has enrolled it.
 */
public interface SecondFactor {
    Factor factor();

    boolean enrolled(UUID userId);

    /**
     * Whether having this factor alone makes a sign-in ask for a second step. Recovery codes are not:
     * they are a way back in for a user who has a standalone factor (an authenticator app, a passkey)
     * and has lost it, so they are offered beside it, never on their own.
     */
    default boolean standalone() {
        return true;
    }

    /**
     * Whether a user who must have a second factor can set this one up in the middle of a sign-in (the
     * enrolment step). Passkeys cannot yet: they are added on the account page once signed in.
     */
    default boolean enrolsDuringSignIn() {
        return standalone();
    }
}
