package dev.latchkey.core.password;

import java.util.Base64;
import java.util.Optional;

/**
 * The "B64" of the PHC string format: standard Base64 (RFC 4648 §4) without padding. Decoding
 * also accepts passlib's "adapted base64", which writes {@code .} for {@code +}; the two never
 * conflict because {@code .} is not in the standard alphabet.
 */
final class PhcBase64 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    private PhcBase64() {
    }

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** The decoded bytes, or empty when the text is not B64 (padding is tolerated). */
    static Optional<byte[]> decode(String text) {
        if (text.isEmpty() || text.indexOf('-') >= 0 || text.indexOf('_') >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Base64.getDecoder().decode(text.replace('.', '+')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
