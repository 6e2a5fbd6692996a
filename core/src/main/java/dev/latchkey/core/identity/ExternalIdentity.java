package dev.latchkey.core.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A user's account at an upstream identity provider: {@code (provider, subject)} names it (OIDC Core
 * §2: {@code sub} is unique only within its issuer), {@code userId} is the Latchkey user it signs in.
 * {@code email} is what the provider said at linking time, for display only: never a key.
 */
public record ExternalIdentity(String provider, String subject, UUID userId, String email, Instant linkedAt) {
    public ExternalIdentity {
        provider = checked(provider, "provider", 100);
        subject = checked(subject, "subject", 255);
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }

    private static String checked(String v, String what, int max) {
        if (v == null || v.isEmpty() || v.length() > max || v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must be 1 to " + max + " characters without control characters");
        }
        return v;
    }
}
