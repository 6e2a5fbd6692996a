package dev.latchkey.core.oauth.authorize;

import java.time.Instant;
import java.util.Optional;

/** Storage port for pending and pushed authorization requests. */
public interface AuthorizationRequestStore {
    void save(byte[] idHash, PendingAuthorization request);

    /** The request if it is unexpired and unconsumed. */
    Optional<PendingAuthorization> find(byte[] idHash, Instant now);

    /** Marks the request used, atomically: only one caller ever gets it. */
    Optional<PendingAuthorization> consume(byte[] idHash, Instant now);
}
