package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PhcStringTest {

    @Test
    void parsesVersionParametersSaltAndHash() {
        PhcString phc = PhcString.parse("$argon2id$v=19$m=64,t=1,p=1,keyid=azE$c2FsdHNhbHQ$aGFzaA");
        assertThat(phc.id()).isEqualTo("argon2id");
        assertThat(phc.version()).isEqualTo(OptionalInt.of(19));
        assertThat(phc.params()).containsExactly(new PhcString.Param("m", "64"), new PhcString.Param("t", "1"),
                new PhcString.Param("p", "1"), new PhcString.Param("keyid", "azE"));
        assertThat(phc.param("keyid")).contains("azE");
        assertThat(phc.param("data")).isEmpty();
        assertThat(phc.salt()).isEqualTo("c2FsdHNhbHQ");
        assertThat(phc.hash()).isEqualTo("aGFzaA");
    }

    @Test
    void versionAndParametersAreOptional() {
        PhcString phc = PhcString.parse("$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaA");
        assertThat(phc.version()).isEmpty();
        assertThat(phc.params()).hasSize(3);
        PhcString bare = PhcString.parse("$x$c2FsdA$aGFzaA");
        assertThat(bare.params()).isEmpty();
        assertThat(bare.format()).isEqualTo("$x$c2FsdA$aGFzaA");
    }

    @Test
    void formatsWhatItParses() {
        String text = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA";
        assertThat(PhcString.parse(text).format()).isEqualTo(text);
        assertThat(new PhcString("argon2id", OptionalInt.of(19), List.of(new PhcString.Param("m", "8")), "c2FsdA", "aGFzaA").format())
                .isEqualTo("$argon2id$v=19$m=8$c2FsdA$aGFzaA");
    }

    @Test
    void rejectsMalformedStrings() {
        for (String bad : List.of("argon2id$v=19$m=1$s$h", "$Argon2id$m=1$s$h", "$argon2id$m=1", "$argon2id$m=1$s$h$extra$more",
                "$argon2id$v=19$m=$s$h", "$argon2id$v=19$m=1,,t=1$s$h", "$argon2id$v=019$m=1$s$h", "$argon2id$v=x$m=1$s$h",
                "$argon2id$v=19$M=1$s$h", "$argon2id$v=19$m=1;t=2$s$h")) {
            assertThatThrownBy(() -> PhcString.parse(bad)).as(bad).isInstanceOf(UnrecognizedHashException.class);
        }
    }

    @Test
    void base64AcceptsPasslibsAdaptedAlphabetAndRejectsUrlSafe() {
        assertThat(PhcBase64.decode("..//")).contains(new byte[] {(byte) 0xfb, (byte) 0xef, (byte) 0xff});
        assertThat(PhcBase64.decode("++//")).contains(new byte[] {(byte) 0xfb, (byte) 0xef, (byte) 0xff});
        assertThat(PhcBase64.decode("--__")).isEmpty();
        assertThat(PhcBase64.decode("A")).isEmpty();
        assertThat(PhcBase64.encode(new byte[] {(byte) 0xfb, (byte) 0xef, (byte) 0xff, 1})).isEqualTo("++//AQ");
    }
}
