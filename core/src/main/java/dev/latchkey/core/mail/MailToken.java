package dev.latchkey.core.mail;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A mailed token as stored: only hashes of its secrets. It is bound to its purpose, its user and the
 * user's security version when it was issued (a password change kills outstanding reset links), and
 * to the address it was sent to. {@code bindingHash} names the browser (cookie) that asked for it,
 * {@code codeHash} the short code typed on that browser; both null when not used by the flow.
 * {@code payload} is flow data that is not secret (the new address of an e-mail change, a return path).
 */
public record MailToken(UUID id, byte[] tokenHash, MailPurpose purpose, UUID userId, int userVersion, String email,
                        byte[] bindingHash, byte[] codeHash, String payload, Instant createdAt, Instant expiresAt) {
    public MailToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "MailToken[" + id + " " + purpose.wireName() + "]";
    }
}
