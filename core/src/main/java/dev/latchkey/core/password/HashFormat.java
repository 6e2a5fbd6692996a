package dev.latchkey.core.password;

import java.util.Optional;

/**
 * The password hash formats Latchkey can verify. New hashes are always {@link #ARGON2ID}; the
 * others come from imported users and are replaced by Argon2id at their next successful login.
 */
public enum HashFormat {
    /** {@code $argon2id$v=19$m=…,t=…,p=…$salt$hash} (RFC 9106, PHC string format). */
    ARGON2ID("argon2id"),
    /** {@code $argon2i$…} */
    ARGON2I("argon2i"),
    /** {@code $argon2d$…} */
    ARGON2D("argon2d"),
    /** {@code $2a$}, {@code $2b$} or {@code $2y$} followed by the cost and 53 characters. */
    BCRYPT("bcrypt"),
    /** Django's {@code pbkdf2_sha256$<iterations>$<salt>$<base64 hash>}. */
    DJANGO_PBKDF2_SHA256("django-pbkdf2-sha256"),
    /** passlib's {@code $pbkdf2-sha256$<iterations>$<ab64 salt>$<ab64 hash>}. */
    PASSLIB_PBKDF2_SHA256("pbkdf2-sha256"),
    /** passlib's {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>}. */
    SCRYPT("scrypt");

    private final String shortName;

    HashFormat(String shortName) {
        this.shortName = shortName;
    }

    /** A short lowercase name for messages and audit events, e.g. {@code bcrypt}. */
    public String shortName() {
        return shortName;
    }

    /** The format of a stored hash Latchkey can verify, or empty for anything else. */
    public static Optional<HashFormat> recognize(String storedHash) {
        try {
            return Optional.of(require(storedHash));
        } catch (UnrecognizedHashException e) {
            return Optional.empty();
        }
    }

    public static boolean isRecognized(String storedHash) {
        return recognize(storedHash).isPresent();
    }

    /**
     * The format of a stored hash, checking the whole string including its parameter ceilings.
     *
     * @throws UnrecognizedHashException with a message that says what is wrong (for the import CLI)
     */
    public static HashFormat require(String storedHash) {
        return StoredHash.parse(storedHash).format();
    }
}
