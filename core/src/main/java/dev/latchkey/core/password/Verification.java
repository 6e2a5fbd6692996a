package dev.latchkey.core.password;

/** The outcome of checking a password against a stored hash. */
public sealed interface Verification permits Verification.Match, Verification.Mismatch {

    /**
     * The password is right.
     *
     * @param needsRehash the stored hash is not Argon2id at the current parameters and pepper (or
     *                    matched only the un-normalised password): store {@link PasswordHashing#hash}
     *                    of this password now, while it is known
     */
    record Match(boolean needsRehash) implements Verification {
    }

    /** The password is wrong. */
    record Mismatch() implements Verification {
    }

    default boolean matched() {
        return this instanceof Match;
    }
}
