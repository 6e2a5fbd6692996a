package dev.latchkey.core.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UlidTest {
    @Test
    void wellFormedAndTimeOrdered() {
        String a = Ulid.next(Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC));
        String b = Ulid.next(Clock.fixed(Instant.parse("2024-01-01T00:00:01Z"), ZoneOffset.UTC));
        assertThat(a).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(Ulid.valid(a)).isTrue();
        assertThat(a).isLessThan(b);
        // the first 10 characters are the millisecond time (ULID spec): 2024-01-01 is 01HK153X00
        assertThat(a).startsWith("01HK153X00");
        assertThat(Ulid.valid("not-a-ulid")).isFalse();
        assertThat(Ulid.valid("81HK153X000000000000000000")).isFalse();
    }
}
