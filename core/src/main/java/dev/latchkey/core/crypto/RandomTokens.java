package dev.latchkey.core.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** Random bearer secrets: 256 bits from the platform CSPRNG, base64url without padding. */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private RandomTokens() {
    }

    public static byte[] bytes(int length) {
        byte[] b = new byte[length];
        RANDOM.nextBytes(b);
        return b;
    }

    /** 32 random bytes, base64url: 43 characters. */
    public static String token() {
        return B64.encodeToString(bytes(32));
    }

    public static String token(int bytes) {
        return B64.encodeToString(bytes(bytes));
    }

    public static SecureRandom random() {
        return RANDOM;
    }
}
