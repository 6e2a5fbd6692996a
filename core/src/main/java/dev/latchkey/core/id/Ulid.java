package dev.latchkey.core.id;

import java.time.Clock;
import java.util.UUID;

/**
 * ULIDs (26 characters of Crockford base32, time-ordered): the id format OpenFGA uses for stores and models, which
 * its SDKs check. The 128 bits are a UUIDv7's (48-bit millisecond time, then random bits), so they sort by time.
 */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");

    private Ulid() {
    }

    public static String next(Clock clock) {
        UUID u = UuidV7.next(clock);
        return encode(u.getMostSignificantBits(), u.getLeastSignificantBits());
    }

    static String encode(long hi, long lo) {
        char[] out = new char[26];
        // 128 bits → 26 groups of 5 bits, most significant first (the first group has 3 bits)
        for (int i = 25; i >= 0; i--) {
            int v = (int) (lo & 31);
            out[i] = ALPHABET[v];
            lo = (lo >>> 5) | (hi << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    /** True for a well-formed ULID (upper case, as generated). */
    public static boolean valid(String s) {
        return s != null && FORMAT.matcher(s).matches();
    }
}
