package dev.latchkey.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with a fixed key, and HKDF (RFC 5869) to derive purpose-bound keys from the master key. */
public final class Hmac {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> mac;

    public Hmac(byte[] key) {
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("an HMAC key needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.mac = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required", e);
        }
    }

    public byte[] sign(byte[]... parts) {
        Mac m = mac.get();
        m.reset();
        for (byte[] p : parts) {
            m.update(p);
        }
        return m.doFinal();
    }

    public byte[] sign(String text) {
        return sign(text.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5869 HKDF-SHA256 (extract with an empty salt, then expand) of {@code length} bytes. */
    public static byte[] hkdf(byte[] inputKey, String info, int length) {
        if (length <= 0 || length > 255 * 32) {
            throw new IllegalArgumentException("invalid HKDF length " + length);
        }
        byte[] prk = new Hmac(new byte[32]).sign(inputKey);
        Hmac expand = new Hmac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            t = expand.sign(t, info.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) i});
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(prk, (byte) 0);
        return out;
    }
}
