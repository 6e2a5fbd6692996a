package dev.latchkey.core.authn;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Storage port for the short-lived, single-use challenges a sign-in waits on between its first and
 * its second factor. Looked up by the hash of the challenge and of the browser's binding secret;
 * {@link #consume} is one {@code DELETE … RETURNING}, so exactly one of concurrent uses gets it.
 */
public interface PendingSignInStore {
    /** A stored challenge: the sign-in so far, which factors may continue it, and whether it is an enrolment. */
    record Stored(byte[] idHash, byte[] bindingHash, PendingSignIn pending, Set<Factor> factors, boolean enrolment, Instant expiresAt) {
        public Stored {
            Objects.requireNonNull(idHash, "idHash");
            Objects.requireNonNull(bindingHash, "bindingHash");
            Objects.requireNonNull(pending, "pending");
            factors = Set.copyOf(factors);
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    void save(Stored challenge);

    /** Reads a live challenge without spending it (to show an enrolment page). */
    Optional<Stored> peek(byte[] idHash, byte[] bindingHash, Instant now);

    /** Spends a live challenge bound to {@code bindingHash}: at most once. */
    Optional<Stored> consume(byte[] idHash, byte[] bindingHash, Instant now);

    int purgeExpired(Instant before);
}
