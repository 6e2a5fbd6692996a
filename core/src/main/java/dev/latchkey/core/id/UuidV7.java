package dev.latchkey.core.id;

import dev.latchkey.core.crypto.RandomTokens;
import java.time.Clock;
import java.util.UUID;

/** RFC 9562 UUID version 7: 48-bit Unix milliseconds, then random bits. Sortable by creation time. */
public final class UuidV7 {
    private UuidV7() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    public static UUID next(Clock clock) {
        return at(clock.millis());
    }

    static UUID at(long millis) {
        byte[] r = RandomTokens.bytes(10);
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16;
        msb |= 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
        long lsb = 0x8000_0000_0000_0000L | ((r[2] & 0x3FL) << 56);
        for (int i = 3; i < 10; i++) {
            lsb |= (r[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(msb, lsb);
    }
}
