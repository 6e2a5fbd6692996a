package dev.latchkey.core.credential.totp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TOTP algorithm (RFC 6238 §4) over HOTP (RFC 4226 §5.3, dynamic truncation): a code for a time
 * step {@code T = floor((now - T0) / X)}. Latchkey issues SHA-1, 6 digits, 30 s (§5.2's defaults, what
 * every authenticator app supports); the other algorithms are here for the RFC's test vectors.
 */
public record Totp(Algorithm algorithm, int digits, Duration period) {
    public static final Totp DEFAULT = new Totp(Algorithm.SHA1, 6, Duration.ofSeconds(30));

    /** RFC 6238 §1.2: the HMAC underneath. */
    public enum Algorithm {
        SHA1("HmacSHA1", "SHA1"), SHA256("HmacSHA256", "SHA256"), SHA512("HmacSHA512", "SHA512");

        private final String jca;
        private final String uriName;

        Algorithm(String jca, String uriName) {
            this.jca = jca;
            this.uriName = uriName;
        }

        public String uriName() {
            return uriName;
        }
    }

    public Totp {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(period, "period");
        if (digits < 6 || digits > 8 || period.toSeconds() < 1) {
            throw new IllegalArgumentException("TOTP needs 6 to 8 digits and a period of at least 1 s");
        }
    }

    /** The time step of {@code at} (T0 = the Unix epoch). */
    public long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), period.toSeconds());
    }

    /** The code for one time step, zero-padded to {@link #digits()}. */
    public String code(byte[] secret, long step) {
        try {
            Mac mac = Mac.getInstance(algorithm.jca);
            mac.init(new SecretKeySpec(secret, algorithm.jca));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            long modulus = (long) Math.pow(10, digits);
            String s = Long.toString(binary % modulus);
            return "0".repeat(digits - s.length()) + s;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jca + " is required", e);
        }
    }
}
