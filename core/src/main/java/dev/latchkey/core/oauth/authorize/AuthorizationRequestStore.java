package dev.latchkey.core.oauth.authorize;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Storage port for pending and pushed authorization requests. */
public interface AuthorizationRequestStore {
    void save(byte[] idHash, PendingAuthorization request);

    /** The request if it is unexpired and unconsumed. */
    Optional<PendingAuthorization> find(byte[] idHash, Instant now);

    /** Marks the request used, atomically: only one caller ever gets it. */
    Optional<PendingAuthorization> consume(byte[] idHash, Instant now);

    /**
     * Records that {@code userId} chose {@code orgId} for the pending (not pushed) request, in one statement
     * that also requires the user to be a member of it now; false (nothing recorded) when the request is gone
     * or the user is not a member.
     */
    boolean chooseOrganization(byte[] idHash, UUID orgId, UUID userId, Instant now);
}
