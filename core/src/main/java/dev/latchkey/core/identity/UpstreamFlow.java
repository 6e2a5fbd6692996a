package dev.latchkey.core.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One redirect to an upstream provider in progress: bound to the browser ({@code binding}, the value
 * of a cookie set when it began), single use, and short-lived. {@code state}, {@code nonce} and
 * {@code codeVerifier} are fresh 256-bit randoms (RFC 6749 §10.12, OIDC Core §15.5.2, RFC 7636 §7.1);
 * stores keep hashes of {@code state} and {@code binding} and seal the verifier.
 *
 * @param userId for {@link Purpose#LINK}: the signed-in user the identity is to be linked to
 */
public record UpstreamFlow(String state, String binding, String provider, String nonce, String codeVerifier, Purpose purpose,
                           UUID userId, String returnTo, Instant createdAt, Instant expiresAt) {
    /** Why the browser went to the provider. */
    public enum Purpose { SIGN_IN, LINK }

    public UpstreamFlow {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(returnTo, "returnTo");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if ((purpose == Purpose.LINK) != (userId != null)) {
            throw new IllegalArgumentException("a link flow names its user, a sign-in flow none");
        }
    }

    @Override
    public String toString() {
        return "UpstreamFlow[" + provider + " " + purpose + "]";
    }
}
