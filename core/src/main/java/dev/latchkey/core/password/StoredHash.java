package dev.latchkey.core.password;

import java.util.Objects;

/**
 * A parsed password hash of one of the {@link HashFormat}s: it knows its own parameters and
 * whether a password (already normalised and UTF-8 encoded) matches it, comparing in constant time.
 */
sealed interface StoredHash permits Argon2Hash, BcryptHash, Pbkdf2Sha256Hash, ScryptHash {
    HashFormat format();

    boolean matches(byte[] password);

    /**
     * Parses any supported format.
     *
     * @throws UnrecognizedHashException for an unknown format, a malformed string or parameters
     *                                   beyond the ceilings
     */
    static StoredHash parse(String text) {
        Objects.requireNonNull(text, "storedHash");
        if (text.length() > 512) {
            throw new UnrecognizedHashException("a password hash is at most 512 characters");
        }
        if (text.startsWith("$argon2")) {
            return Argon2Hash.parse(text);
        }
        if (text.startsWith("$2")) {
            return BcryptHash.parse(text);
        }
        if (text.startsWith("pbkdf2_sha256$")) {
            return Pbkdf2Sha256Hash.parseDjango(text);
        }
        if (text.startsWith("$pbkdf2-sha256$")) {
            return Pbkdf2Sha256Hash.parsePasslib(text);
        }
        if (text.startsWith("$scrypt$")) {
            return ScryptHash.parse(text);
        }
        throw new UnrecognizedHashException("unknown password hash format; supported: argon2id, argon2i, argon2d, "
                + "bcrypt ($2a$/$2b$/$2y$), Django pbkdf2_sha256, passlib pbkdf2-sha256, passlib scrypt");
    }
}
