package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Imported hashes verify, ask to be replaced, and reject wrong passwords and tampering. */
class LegacyVerificationTest {
    private final PasswordHashing hashing = new PasswordHashing(new Argon2Parameters(64, 1, 1));

    static Stream<Arguments> legacy() {
        return Stream.of(
                Arguments.of(HashFormat.DJANGO_PBKDF2_SHA256, Vectors.DJANGO_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.DJANGO_PBKDF2_SHA256, Vectors.DJANGO_UNICODE, Vectors.UNICODE),
                Arguments.of(HashFormat.DJANGO_PBKDF2_SHA256, Vectors.DJANGO_HORSE_600K, Vectors.HORSE),
                Arguments.of(HashFormat.PASSLIB_PBKDF2_SHA256, Vectors.PASSLIB_PBKDF2_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.PASSLIB_PBKDF2_SHA256, Vectors.PASSLIB_PBKDF2_UNICODE, Vectors.UNICODE),
                Arguments.of(HashFormat.SCRYPT, Vectors.SCRYPT_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.SCRYPT, Vectors.SCRYPT_UNICODE, Vectors.UNICODE),
                Arguments.of(HashFormat.BCRYPT, Vectors.BCRYPT_2B_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.BCRYPT, Vectors.BCRYPT_2B_UNICODE, Vectors.UNICODE),
                Arguments.of(HashFormat.BCRYPT, Vectors.BCRYPT_2A_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.BCRYPT, Vectors.BCRYPT_2Y_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.BCRYPT, Vectors.BCRYPT_2B_LONG, Vectors.LONG),
                Arguments.of(HashFormat.ARGON2I, Vectors.ARGON2I_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.ARGON2D, Vectors.ARGON2D_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.ARGON2D, Vectors.ARGON2D_NO_VERSION_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.ARGON2ID, Vectors.ARGON2ID_V16_HORSE, Vectors.HORSE),
                Arguments.of(HashFormat.ARGON2ID, Vectors.ARGON2ID_UNICODE, Vectors.UNICODE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("legacy")
    void verifiesAndAsksForARehash(HashFormat format, String stored, String password) {
        assertThat(HashFormat.require(stored)).isEqualTo(format);
        assertThat(hashing.verify(password, stored)).isEqualTo(new Verification.Match(true));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("legacy")
    void rejectsAWrongPassword(HashFormat format, String stored, String password) {
        assertThat(hashing.verify("!" + password, stored)).isEqualTo(new Verification.Mismatch());
        assertThat(hashing.verify(password.substring(1), stored)).isEqualTo(new Verification.Mismatch());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("legacy")
    void rejectsATamperedHash(HashFormat format, String stored, String password) {
        String tampered = Vectors.tamper(stored);
        assertThat(tampered).isNotEqualTo(stored);
        assertThat(hashing.verify(password, tampered)).isEqualTo(new Verification.Mismatch());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("legacy")
    void aChangedSaltOrCostDoesNotMatch(HashFormat format, String stored, String password) {
        String changed = switch (format) {
            case BCRYPT -> stored.substring(0, 7) + (stored.charAt(7) == 'A' ? 'B' : 'A') + stored.substring(8);
            case DJANGO_PBKDF2_SHA256, PASSLIB_PBKDF2_SHA256 -> increment(stored, "\\$(\\d+)\\$", "$", "$");
            case SCRYPT -> increment(stored, "r=(\\d+)", "r=", "");
            case ARGON2ID, ARGON2I, ARGON2D -> increment(stored, "t=(\\d+)", "t=", "");
        };
        assertThat(changed).isNotEqualTo(stored);
        assertThat(hashing.verify(password, changed)).isEqualTo(new Verification.Mismatch());
    }

    private static String increment(String stored, String regex, String before, String after) {
        return Pattern.compile(regex).matcher(stored).replaceFirst(m -> Matcher.quoteReplacement(
                before + (Integer.parseInt(m.group(1)) + 1) + after));
    }

    @Test
    void bcryptReadsOnly72BytesOfAnImportedHashButNewHashesReadEverything() {
        String other72 = "x".repeat(72) + "a different tail";
        assertThat(hashing.verify(other72, Vectors.BCRYPT_2B_LONG)).as("bcrypt's own rule").isInstanceOf(Verification.Match.class);
        String argon = hashing.hash(Vectors.LONG);
        assertThat(hashing.verify(other72, argon)).isInstanceOf(Verification.Mismatch.class);
    }
}
