package dev.latchkey.core.password;

import java.util.regex.Pattern;
import dev.latchkey.core.crypto.Hmac;

/**
 * A server-side secret mixed into new password hashes (a "pepper", OWASP Password Storage Cheat
 * Sheet §Peppering; the keyed hashing with a key known only to the verifier that NIST SP 800-63B-4
 * §3.1.1.2 recommends). The password is replaced by HMAC-SHA256(key, password) before Argon2, so a
 * stolen database alone cannot be cracked offline.
 *
 * <p>The id names the key in the hash: the Argon2 PHC string carries {@code keyid=<B64(id)>}
 * (the PHC string format defines {@code keyid} as up to 8 bytes, B64-encoded), so hashes made
 * under different peppers, or none, verify side by side and rotate on the next login.
 */
public final class Pepper {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,8}");

    private final String id;
    private final Hmac hmac;

    /**
     * @param id  1–8 characters from {@code A-Z a-z 0-9 _ -}
     * @param key at least 32 bytes
     */
    public Pepper(String id, byte[] key) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a pepper id is 1-8 characters from A-Z a-z 0-9 _ -");
        }
        if (key == null || key.length < 32) {
            throw new IllegalArgumentException("a pepper key needs at least 32 bytes");
        }
        this.id = id;
        this.hmac = new Hmac(key);
    }

    public String id() {
        return id;
    }

    /** HMAC-SHA256 of the (already normalised, UTF-8) password: the 32 bytes Argon2 then hashes. */
    byte[] apply(byte[] password) {
        return hmac.sign(password);
    }

    /** Names the pepper, never its key. */
    @Override
    public String toString() {
        return "Pepper[" + id + "]";
    }
}
