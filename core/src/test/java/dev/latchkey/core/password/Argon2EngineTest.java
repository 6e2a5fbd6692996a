package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Argon2EngineTest {

    static Stream<Argon2Engine> engines() {
        return Stream.of(new NativeArgon2Engine(), new BouncyCastleArgon2Engine());
    }

    static Stream<Arguments> enginesAndVectors() {
        return engines().flatMap(engine -> Stream.of(
                Arguments.of(engine, Vectors.ARGON2ID_HORSE, Vectors.HORSE),
                Arguments.of(engine, Vectors.ARGON2ID_UNICODE, Vectors.UNICODE),
                Arguments.of(engine, Vectors.ARGON2I_HORSE, Vectors.HORSE),
                Arguments.of(engine, Vectors.ARGON2D_HORSE, Vectors.HORSE),
                Arguments.of(engine, Vectors.ARGON2ID_V16_HORSE, Vectors.HORSE),
                Arguments.of(engine, Vectors.ARGON2D_NO_VERSION_HORSE, Vectors.HORSE),
                Arguments.of(engine, "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "password"),
                Arguments.of(engine, "$argon2i$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ", "password")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("enginesAndVectors")
    void reproducesIndependentVectors(Argon2Engine engine, String stored, String password) {
        Argon2Hash h = Argon2Hash.parse(stored);
        byte[] tag = engine.hash(h.variant(), h.version(), h.parameters(), password.getBytes(StandardCharsets.UTF_8),
                h.salt(), h.tag().length);
        assertThat(tag).isEqualTo(h.tag());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void hashesAnEmptyPassword(Argon2Engine engine) {
        // Debian libargon2 1 (0~20171227): argon2id_hash_raw(1, 64, 1, "", 0, "latchkey-salt-08", 16, out, 32)
        byte[] tag = engine.hash(Argon2Variant.ARGON2ID, Argon2Engine.VERSION_13, new Argon2Parameters(64, 1, 1), new byte[0],
                "latchkey-salt-08".getBytes(StandardCharsets.US_ASCII), 32);
        assertThat(HexFormat.of().formatHex(tag)).isEqualTo("157694039fd579ee6cac30c8237f55a0d7e84e2a854bc91cc3fe6ca087f33b56");
    }

    @Test
    void bothEnginesPassTheSelfTest() {
        assertThat(Argon2Engine.selfTest(new NativeArgon2Engine())).isTrue();
        assertThat(Argon2Engine.selfTest(new BouncyCastleArgon2Engine())).isTrue();
    }

    @Test
    void theNativeEngineIsPreferredWhereArgon2JvmShipsALibrary() {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "aarch64");
        assertThat(Argon2Engine.preferred()).isInstanceOf(NativeArgon2Engine.class);
    }
}
