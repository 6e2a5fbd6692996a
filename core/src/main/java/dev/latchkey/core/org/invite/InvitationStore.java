package dev.latchkey.core.org.invite;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Storage port for invitations; acceptance and revocation are single conditional statements. */
public interface InvitationStore {
    /**
     * Creates a pending invitation and puts its mail in the outbox, in one transaction: neither is stored without the
     * other. False (and nothing stored) when one is already pending for this organization and address.
     */
    boolean create(Invitation invitation, dev.latchkey.core.mail.OutgoingMail mail);

    Optional<Invitation> find(UUID orgId, UUID id);

    Optional<Invitation> findByHash(byte[] tokenHash);

    /** One page, by id, those after {@code after} (null: from the first). */
    List<Invitation> list(UUID orgId, UUID after, int limit);

    /** Revokes a pending invitation; false when it is not pending (or not found). */
    boolean revoke(UUID orgId, UUID id, Instant now);

    /**
     * Takes the pending, unexpired invitation with this hash for the user whose (lower-cased) e-mail it names, and creates
     * the membership with its roles, in one transaction. The conditional UPDATE decides; when it matches nothing a read says why.
     */
    Acceptance accept(byte[] tokenHash, UUID userId, String email, Instant now);

    sealed interface Acceptance {
        record Accepted(Invitation invitation) implements Acceptance {
        }

        record Refused(Reason reason) implements Acceptance {
        }
    }

    enum Reason { NOT_FOUND, USED, REVOKED, EXPIRED, WRONG_EMAIL, ALREADY_MEMBER }
}
