package dev.latchkey.core.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for upstream tokens of providers configured to keep them ({@link ProviderPolicy#storeTokens()}),
 * for later calls to the provider's APIs on the user's behalf. Adapters seal the tokens with the master key.
 */
public interface UpstreamTokenStore {
    /** The tokens an upstream sign-in returned. */
    record Tokens(String provider, String subject, UUID userId, String accessToken, String refreshToken, Instant accessExpiresAt,
                  Instant storedAt) {
        public Tokens {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(storedAt, "storedAt");
        }

        @Override
        public String toString() {
            return "Tokens[" + provider + " " + userId + "]";
        }
    }

    /** Inserts or replaces the tokens of {@code (provider, subject)}. */
    void put(Tokens tokens);

    Optional<Tokens> find(String provider, String subject);
}
