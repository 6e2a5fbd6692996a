package dev.latchkey.core.password;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * An imported bcrypt hash, {@code $2a$}, {@code $2b$} or {@code $2y$} (OpenBSD bcrypt, as written by
 * PHP, Spring Security, node bcrypt and most others; {@code 2y} is crypt_blowfish's name for the
 * corrected {@code 2a}). Verified only, never created.
 *
 * <p>bcrypt reads at most 72 bytes of password; verification keeps that rule because the stored
 * hash was made with it. New hashes are Argon2id, which reads the whole password.
 *
 * @param cost log2 of the number of rounds, 4..{@value #MAX_COST}
 */
record BcryptHash(String text, int cost) implements StoredHash {
    /** 2^16 rounds take several seconds; anything higher would stall a login thread. */
    static final int MAX_COST = 16;
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    @Override
    public HashFormat format() {
        return HashFormat.BCRYPT;
    }

    @Override
    public boolean matches(byte[] password) {
        return OpenBSDBCrypt.checkPassword(text, password);
    }

    static BcryptHash parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new UnrecognizedHashException("malformed bcrypt hash (expected $2a$, $2b$ or $2y$, a two-digit cost and 53 characters)");
        }
        int cost = Integer.parseInt(m.group(1));
        if (cost < 4 || cost > MAX_COST) {
            throw new UnrecognizedHashException("bcrypt cost must be 4.." + MAX_COST + ", got " + cost);
        }
        return new BcryptHash(text, cost);
    }

    @Override
    public String toString() {
        return "BcryptHash[cost=" + cost + "]";
    }
}
