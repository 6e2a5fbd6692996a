package dev.latchkey.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** SHA-256 of bearer secrets (tokens, codes, session ids) so that only hashes are ever stored. */
public final class Digests {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required", e);
        }
    });

    private Digests() {
    }

    public static byte[] sha256(byte[] input) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(input);
    }

    public static byte[] sha256(String input) {
        return sha256(input.getBytes(StandardCharsets.UTF_8));
    }

    /** Base64url (no padding) of the SHA-256 of the UTF-8 string. */
    public static String sha256Base64Url(String input) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(input));
    }

    /** A short, non-reversible prefix of a secret's hash, for logs. */
    public static String logTag(String secret) {
        return HexFormat.of().formatHex(sha256(secret), 0, 4);
    }

    /** Constant-time comparison. */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
