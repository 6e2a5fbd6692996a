package dev.latchkey.core.credential.totp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6238 Appendix B test vectors, and base32 (RFC 4648 §10). */
class TotpTest {
    private static final byte[] SHA1_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_SEED = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_SEED = "1234567890123456789012345678901234567890123456789012345678901234".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
            "59, 0000000000000001, 94287082, 46119246, 90693936",
            "1111111109, 00000000023523EC, 07081804, 68084774, 25091201",
            "1111111111, 00000000023523ED, 14050471, 67062674, 99943326",
            "1234567890, 000000000273EF07, 89005924, 91819424, 93441116",
            "2000000000, 0000000003F940AA, 69279037, 90698825, 38618901",
            "20000000000, 0000000027BC86AA, 65353130, 77737706, 47863826"})
    void appendixBVectors(long unixTime, String stepHex, String sha1, String sha256, String sha512) {
        Instant at = Instant.ofEpochSecond(unixTime);
        Totp t1 = new Totp(Totp.Algorithm.SHA1, 8, Duration.ofSeconds(30));
        long step = t1.step(at);
        assertThat(step).isEqualTo(Long.parseLong(stepHex, 16));
        assertThat(t1.code(SHA1_SEED, step)).isEqualTo(sha1);
        assertThat(new Totp(Totp.Algorithm.SHA256, 8, Duration.ofSeconds(30)).code(SHA256_SEED, step)).isEqualTo(sha256);
        assertThat(new Totp(Totp.Algorithm.SHA512, 8, Duration.ofSeconds(30)).code(SHA512_SEED, step)).isEqualTo(sha512);
    }

    @Test
    void theDefaultIsSixDigitsOfTheSameValue() {
        // RFC 4226 truncation: the 6-digit code is the last six digits of the 8-digit one
        assertThat(Totp.DEFAULT.code(SHA1_SEED, 1)).isEqualTo("287082");
        assertThat(Totp.DEFAULT.code(SHA1_SEED, Totp.DEFAULT.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
    }

    @Test
    void base32RoundTripsAndFollowsRfc4648() {
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Base32.encode("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(new String(Base32.decode("mzxw 6ytb oi======"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        assertThat(Base32.decode(Base32.encode(SHA1_SEED))).isEqualTo(SHA1_SEED);
        assertThatThrownBy(() -> Base32.decode("MZ1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parametersOutsideTheRfcAreRefused() {
        assertThatThrownBy(() -> new Totp(Totp.Algorithm.SHA1, 5, Duration.ofSeconds(30))).isInstanceOf(IllegalArgumentException.class);
    }
}
