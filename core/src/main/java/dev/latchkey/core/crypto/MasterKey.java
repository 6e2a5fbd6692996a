package dev.latchkey.core.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The installation's root secret (32 bytes). Never used directly: {@link #derive(String)} gives a
 * key per purpose (HKDF), and {@link #seal}/{@link #open} encrypt data at rest with AES-256-GCM
 * bound to a context string (the associated data), so a sealed blob cannot be moved to another row.
 */
public final class MasterKey {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;

    private final byte[] key;
    private final SecretKeySpec aesKey;

    private MasterKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the master key must be 32 bytes, got " + key.length);
        }
        this.key = key.clone();
        this.aesKey = new SecretKeySpec(Hmac.hkdf(key, "latchkey/seal/v1", 32), "AES");
    }

    public static MasterKey of(byte[] key) {
        return new MasterKey(key);
    }

    public static MasterKey generate() {
        return new MasterKey(RandomTokens.bytes(32));
    }

    /** Parses 32 bytes given as base64, base64url or 64 hex digits. */
    public static MasterKey parse(String text) {
        String t = text.strip();
        byte[] k;
        if (t.length() == 64 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            k = HexFormat.of().parseHex(t);
        } else {
            try {
                k = t.contains("-") || t.contains("_") ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the master key must be 32 bytes in base64 or hex");
            }
        }
        return new MasterKey(k);
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** A key for one purpose, e.g. "refresh-successor" or "csrf". */
    public byte[] derive(String purpose) {
        return Hmac.hkdf(key, "latchkey/" + purpose, 32);
    }

    public byte[] seal(byte[] plaintext, String context) {
        try {
            byte[] nonce = RandomTokens.bytes(NONCE);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE + ct.length).put(VERSION).put(nonce).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    public byte[] open(byte[] sealed, String context) {
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new IllegalArgumentException("not a sealed value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            c.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(Arrays.copyOfRange(sealed, 1 + NONCE, sealed.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot decrypt: wrong master key or tampered data", e);
        }
    }
}
