package dev.latchkey.core.password;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.latchkey.core.crypto.RandomTokens;

/**
 * Hashes and verifies passwords. New hashes are Argon2id (RFC 9106) at the configured parameters,
 * 16-byte random salt, 32-byte tag, as a PHC string; with a {@link Pepper}, the password is first
 * HMAC'd with it and the string records its {@code keyid}.
 *
 * <p>Passwords are normalised to Unicode NFKC before hashing (NIST SP 800-63B-4 §3.1.1.2) and are
 * never truncated. Verification accepts every {@link HashFormat}; a stored hash that another system
 * made from the un-normalised password still verifies, and then asks for a rehash.
 */
public final class PasswordHashing {
    static final int SALT_BYTES = 16;
    static final int TAG_BYTES = 32;

    private final Argon2Parameters parameters;
    private final Optional<Pepper> pepper;
    private final Map<String, Pepper> peppersById = new HashMap<>();
    private final String dummyHash;

    /** Without a pepper. */
    public PasswordHashing(Argon2Parameters parameters) {
        this(parameters, Optional.empty(), List.of());
    }

    /**
     * @param pepper         the pepper for new hashes, or empty for none
     * @param retiredPeppers peppers that only verify older hashes (after a rotation); ids must be unique
     */
    public PasswordHashing(Argon2Parameters parameters, Optional<Pepper> pepper, List<Pepper> retiredPeppers) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.pepper = Objects.requireNonNull(pepper, "pepper");
        pepper.ifPresent(this::addPepper);
        retiredPeppers.forEach(this::addPepper);
        this.dummyHash = hash(RandomTokens.token());
    }

    private void addPepper(Pepper p) {
        if (peppersById.putIfAbsent(p.id(), p) != null) {
            throw new IllegalArgumentException("two peppers have the id '" + p.id() + "'");
        }
    }

    public Argon2Parameters parameters() {
        return parameters;
    }

    /** A new Argon2id PHC string for the password, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$…$…}. */
    public String hash(String password) {
        byte[] input = input(normalize(password), pepper);
        byte[] salt = RandomTokens.bytes(SALT_BYTES);
        try {
            byte[] tag = Argon2Engine.preferred().hash(Argon2Variant.ARGON2ID, Argon2Engine.VERSION_13, parameters, input, salt, TAG_BYTES);
            return new Argon2Hash(Argon2Variant.ARGON2ID, Argon2Engine.VERSION_13, parameters, pepper.map(Pepper::id), salt, tag).toPhc();
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    /**
     * Checks a password against a stored hash of any {@link HashFormat}, comparing in constant time.
     *
     * @throws UnrecognizedHashException when the stored hash is not a supported, sane hash
     * @throws IllegalStateException     when the hash names a pepper that is not configured
     */
    public Verification verify(String password, String storedHash) {
        Objects.requireNonNull(password, "password");
        StoredHash stored = StoredHash.parse(storedHash);
        String normalized = normalize(password);
        if (matches(stored, normalized)) {
            return new Verification.Match(!isCurrent(stored));
        }
        if (!normalized.equals(password) && matches(stored, password)) {
            return new Verification.Match(true);
        }
        return new Verification.Mismatch();
    }

    /**
     * Does the work of {@link #verify} against a hash at the current parameters and pepper, and
     * throws the result away: call it when the account does not exist, so that answering "no such
     * user" takes as long as answering "wrong password" (OWASP Authentication Cheat Sheet).
     */
    public void verifyDummy(String password) {
        verify(password, dummyHash);
    }

    String dummyHash() {
        return dummyHash;
    }

    /** True when the stored hash is exactly what {@link #hash} would write now. */
    private boolean isCurrent(StoredHash stored) {
        return stored instanceof Argon2Hash a
                && a.variant() == Argon2Variant.ARGON2ID
                && a.version() == Argon2Engine.VERSION_13
                && a.parameters().equals(parameters)
                && a.salt().length == SALT_BYTES
                && a.tag().length == TAG_BYTES
                && a.pepperId().equals(pepper.map(Pepper::id));
    }

    private boolean matches(StoredHash stored, String password) {
        Optional<Pepper> used = Optional.empty();
        if (stored instanceof Argon2Hash a && a.pepperId().isPresent()) {
            String id = a.pepperId().get();
            used = Optional.ofNullable(peppersById.get(id));
            if (used.isEmpty()) {
                throw new IllegalStateException("the password hash was made with pepper '" + id + "', which is not configured");
            }
        }
        byte[] input = input(password, used);
        try {
            return stored.matches(input);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    private static byte[] input(String password, Optional<Pepper> pepper) {
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        if (pepper.isEmpty()) {
            return utf8;
        }
        byte[] peppered = pepper.get().apply(utf8);
        Arrays.fill(utf8, (byte) 0);
        return peppered;
    }

    static String normalize(String password) {
        return Normalizer.normalize(Objects.requireNonNull(password, "password"), Normalizer.Form.NFKC);
    }
}
