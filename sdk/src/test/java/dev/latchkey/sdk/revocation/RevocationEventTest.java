package dev.latchkey.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RevocationEventTest {
    @Test
    void parsesTheServersShape() {
        RevocationEvent s = RevocationEvent.parse("""
                {"seq":42,"kind":"session","user_id":"u1","session_id":"s1","security_version":null,"at":"2026-01-02T03:04:05.123456Z"}""");
        assertThat(s).isEqualTo(new RevocationEvent(42, RevocationEvent.Kind.SESSION, "u1", Optional.of("s1"), OptionalLong.empty(),
                Instant.parse("2026-01-02T03:04:05.123456Z")));
        RevocationEvent v = RevocationEvent.parse("""
                {"seq":43,"kind":"user_version","user_id":"u1","session_id":null,"security_version":3,"at":"2026-01-02T03:04:06Z"}""");
        assertThat(v.kind()).isEqualTo(RevocationEvent.Kind.USER_VERSION);
        assertThat(v.sessionId()).isEmpty();
        assertThat(v.securityVersion()).hasValue(3);
    }

    @Test
    void refusesWhatItCannotApply() {
        assertThatThrownBy(() -> RevocationEvent.parse("{\"seq\":1,\"kind\":\"org_deleted\",\"user_id\":\"u\",\"at\":\"2026-01-02T03:04:06Z\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> RevocationEvent.parse("{\"seq\":1,\"kind\":\"session\",\"user_id\":\"u\",\"at\":\"2026-01-02T03:04:06Z\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names its session");
        assertThatThrownBy(() -> RevocationEvent.parse("{\"seq\":\"1\",\"kind\":\"user_deleted\",\"user_id\":\"u\",\"at\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RevocationEvent.parse("{\"seq\":1,\"kind\":\"user_deleted\",\"user_id\":\"u\",\"at\":\"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RevocationEvent.parse("not json")).isInstanceOf(IllegalArgumentException.class);
    }
}
