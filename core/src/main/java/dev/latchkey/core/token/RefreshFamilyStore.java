package dev.latchkey.core.token;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Storage port for refresh-token families. */
public interface RefreshFamilyStore {
    /** Stores a new family whose current token has {@code tokenHash}. */
    void create(RefreshFamily family, byte[] tokenHash);

    /**
     * Rotates the family in one conditional update: succeeds only when {@code presentedHash} is
     * the current token, the family and its session are alive, the user is enabled and still on the
     * family's security version, and {@code clientId} matches. Otherwise classifies the presentation:
     * {@code presentedHash} equal to the replaced token while {@code now} is before the grace
     * deadline, and the current token equal to {@code successorHash}, is a grace replay; any other
     * presentation of a live family's older token revokes the family and its session (reuse).
     */
    Rotation rotate(UUID familyId, String clientId, byte[] presentedHash, byte[] successorHash, Instant now,
                    Duration grace, Duration idle);

    /** The subject of a family whose current token has {@code hash} and which is alive (for introspection). */
    java.util.Optional<TokenSubject> findActive(UUID familyId, byte[] hash, Instant now);

    /** Revokes the family (and, when {@code withSession}, its session); false when not active. */
    boolean revoke(UUID familyId, String clientId, boolean withSession, String reason, Instant now);
}
