package dev.latchkey.core.account;

/**
 * What the account service needs from password hashing. Implemented by the password package
 * (Argon2id with legacy formats for imported users); tests may plug in a cheap one.
 */
public interface PasswordHasher {
    /** The outcome of checking a password against a stored hash. */
    enum Match {
        MATCH,
        /** Correct, but stored in a legacy format or with outdated parameters: re-hash it now. */
        MATCH_NEEDS_REHASH,
        MISMATCH;

        public boolean ok() {
            return this != MISMATCH;
        }
    }

    String hash(String password);

    Match verify(String password, String storedHash);

    /** Spends the same work as {@link #verify} so that an unknown account costs the same time. */
    void verifyDummy(String password);
}
