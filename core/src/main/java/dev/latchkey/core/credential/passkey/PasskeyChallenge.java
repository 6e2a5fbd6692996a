package dev.latchkey.core.credential.passkey;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A challenge handed to the browser for one ceremony (WebAuthn §13.4.3: random, at least 16 bytes,
 * single use). Only its SHA-256 is stored, with the SHA-256 of the browser's binding secret (a cookie),
 * the purpose, the user it was issued for (registration and second factor) and its expiry.
 */
public record PasskeyChallenge(UUID id, byte[] challengeHash, Purpose purpose, UUID userId, byte[] bindingHash,
                               Instant createdAt, Instant expiresAt) {
    public PasskeyChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(challengeHash, "challengeHash");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(bindingHash, "bindingHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (purpose != Purpose.SIGN_IN && userId == null) {
            throw new IllegalArgumentException(purpose + " challenges belong to a user");
        }
    }

    /** What a challenge may be used for. */
    public enum Purpose {
        /** navigator.credentials.create on the account page. */
        REGISTER,
        /** navigator.credentials.get for a passwordless sign-in (discoverable credentials, no user named). */
        SIGN_IN,
        /** navigator.credentials.get after a first factor, for the user of the pending sign-in. */
        SECOND_FACTOR;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Purpose fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }
}
