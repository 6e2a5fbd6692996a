package dev.latchkey.core.credential.totp;

import java.util.Objects;

/**
 * A pending enrolment to show once: the secret in base32 (for typing in) and the {@code otpauth://}
 * key URI (for the QR code), in the Key URI Format authenticator apps read.
 */
public record TotpEnrolment(String secret, String uri) {
    public TotpEnrolment {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(uri, "uri");
    }
}
