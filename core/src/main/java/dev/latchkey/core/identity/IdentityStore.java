package dev.latchkey.core.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for external identities: {@code (provider, subject) → user id}. Linking is one
 * conditional insert, so two concurrent sign-ins through the same upstream account never link it
 * to two users.
 */
public interface IdentityStore {
    /** The outcome of {@link #link}. */
    sealed interface Link {
        record Linked(ExternalIdentity identity) implements Link {
        }

        /** {@code (provider, subject)} is already linked, to {@code userId} (possibly the same user). */
        record AlreadyLinked(UUID userId) implements Link {
        }

        /** The user does not exist (deleted meanwhile). */
        record NoSuchUser() implements Link {
        }
    }

    Link link(ExternalIdentity identity);

    Optional<ExternalIdentity> find(String provider, String subject);

    List<ExternalIdentity> forUser(UUID userId);

    /** Removes the link if it belongs to {@code userId}; false when there was none. */
    boolean unlink(UUID userId, String provider, String subject);
}
