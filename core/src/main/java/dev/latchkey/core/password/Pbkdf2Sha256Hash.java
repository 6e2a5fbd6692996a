package dev.latchkey.core.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * An imported PBKDF2-HMAC-SHA256 hash (RFC 8018 §5.2) in one of two encodings, verified only:
 * <ul>
 *   <li>Django: {@code pbkdf2_sha256$<iterations>$<salt>$<base64 hash>}, where the salt is used as
 *       its UTF-8 text and the hash is standard Base64 with padding;</li>
 *   <li>passlib: {@code $pbkdf2-sha256$<iterations>$<ab64 salt>$<ab64 hash>}, where salt and hash
 *       are bytes in passlib's adapted Base64 ({@code .} for {@code +}, no padding).</li>
 * </ul>
 */
record Pbkdf2Sha256Hash(HashFormat format, int iterations, byte[] salt, byte[] hash) implements StoredHash {
    static final int MAX_ITERATIONS = 10_000_000;
    static final int MIN_HASH = 16;
    static final int MAX_HASH = 64;

    Pbkdf2Sha256Hash {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new UnrecognizedHashException("pbkdf2 iterations must be 1.." + MAX_ITERATIONS + ", got " + iterations);
        }
        if (salt.length == 0 || salt.length > 256) {
            throw new UnrecognizedHashException("pbkdf2 salt must be 1..256 bytes");
        }
        if (hash.length < MIN_HASH || hash.length > MAX_HASH) {
            throw new UnrecognizedHashException("pbkdf2 hash must be " + MIN_HASH + ".." + MAX_HASH + " bytes");
        }
    }

    @Override
    public boolean matches(byte[] password) {
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
        generator.init(password, salt, iterations);
        byte[] actual = ((KeyParameter) generator.generateDerivedParameters(hash.length * 8)).getKey();
        return MessageDigest.isEqual(actual, hash);
    }

    static Pbkdf2Sha256Hash parseDjango(String text) {
        String[] f = fields(text.substring("pbkdf2_sha256$".length()));
        byte[] hash;
        try {
            hash = Base64.getDecoder().decode(f[2]);
        } catch (IllegalArgumentException e) {
            throw new UnrecognizedHashException("django pbkdf2 hash is not base64");
        }
        return new Pbkdf2Sha256Hash(HashFormat.DJANGO_PBKDF2_SHA256, PhcString.parseInt(f[0], "pbkdf2 iterations"),
                f[1].getBytes(StandardCharsets.UTF_8), hash);
    }

    static Pbkdf2Sha256Hash parsePasslib(String text) {
        String[] f = fields(text.substring("$pbkdf2-sha256$".length()));
        byte[] salt = PhcBase64.decode(f[1]).orElseThrow(() -> new UnrecognizedHashException("pbkdf2 salt is not base64"));
        byte[] hash = PhcBase64.decode(f[2]).orElseThrow(() -> new UnrecognizedHashException("pbkdf2 hash is not base64"));
        return new Pbkdf2Sha256Hash(HashFormat.PASSLIB_PBKDF2_SHA256, PhcString.parseInt(f[0], "pbkdf2 iterations"), salt, hash);
    }

    /** iterations, salt, hash: three non-empty fields separated by {@code $}. */
    private static String[] fields(String rest) {
        String[] f = rest.split("\\$", -1);
        if (f.length != 3 || f[0].isEmpty() || f[1].isEmpty() || f[2].isEmpty()) {
            throw new UnrecognizedHashException("malformed pbkdf2-sha256 hash (expected iterations$salt$hash)");
        }
        return f;
    }

    @Override
    public String toString() {
        return "Pbkdf2Sha256Hash[" + format.shortName() + ", iterations=" + iterations + "]";
    }
}
