package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PepperTest {

    @Test
    void appliesHmacSha256() {
        // python3: hmac.new(bytes(range(32)), b"abc", hashlib.sha256).hexdigest()
        Pepper pepper = new Pepper("k1", Vectors.PEPPER_K1_KEY);
        assertThat(HexFormat.of().formatHex(pepper.apply("abc".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("f0133729c4163dede81e21cd47839256da58171238c8a0d874397c73b14e1e47");
    }

    @Test
    void validatesIdAndKey() {
        assertThatThrownBy(() -> new Pepper("", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pepper("nine-char", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pepper("a$b", new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pepper("k1", new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Pepper("2026-q1", new byte[32]).id()).isEqualTo("2026-q1");
    }

    @Test
    void toStringNamesTheIdOnly() {
        assertThat(new Pepper("k1", Vectors.PEPPER_K1_KEY)).hasToString("Pepper[k1]");
    }
}
