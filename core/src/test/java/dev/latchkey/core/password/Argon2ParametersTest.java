package dev.latchkey.core.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Argon2ParametersTest {

    @Test
    void owaspDefaults() {
        assertThat(Argon2Parameters.OWASP).isEqualTo(new Argon2Parameters(19456, 2, 1));
    }

    @Test
    void enforcesRfc9106Bounds() {
        assertThatThrownBy(() -> new Argon2Parameters(64, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2Parameters(64, 1, 0)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> new Argon2Parameters(31, 1, 4)).hasMessageContaining("8 KiB per lane");
        assertThat(new Argon2Parameters(32, 1, 4).memoryKib()).isEqualTo(32);
    }

    @Test
    void enforcesCeilings() {
        assertThatThrownBy(() -> new Argon2Parameters((1 << 20) + 1, 1, 1)).hasMessageContaining("memory");
        assertThatThrownBy(() -> new Argon2Parameters(64, 65, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2Parameters(1024, 1, 65)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> new Argon2Parameters(1 << 20, 5, 1)).hasMessageContaining("memory × iterations");
        assertThat(new Argon2Parameters(1 << 20, 4, 1).iterations()).isEqualTo(4);
    }
}
