package dev.latchkey.core.credential.recovery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Storage port for recovery codes, kept as keyed hashes only. Redemption is one conditional statement. */
public interface RecoveryCodeStore {
    /** Replaces all of the user's codes (used or not) with {@code hashes}, in one transaction. */
    void replace(UUID userId, List<byte[]> hashes, Instant now);

    /** Spends one unused code: {@code UPDATE … SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL}. */
    boolean redeem(UUID userId, byte[] hash, Instant now);

    /** How many unused codes the user has. */
    int remaining(UUID userId);

    void removeAll(UUID userId);
}
