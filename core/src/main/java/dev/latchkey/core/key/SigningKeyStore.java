package dev.latchkey.core.key;

import java.time.Instant;
import java.util.List;

/** Storage port for signing keys. Rotation is decided in the database, so several nodes agree. */
public interface SigningKeyStore {
    /** Keys still published at {@code now} (not retired), oldest first. */
    List<StoredSigningKey> published(Instant now);

    /** Every key, including retired ones, newest first. */
    List<StoredSigningKey> all();

    /**
     * Under a cluster-wide lock, for the algorithm of {@code next} alone (each algorithm has keys and
     * a rotation of its own): when no published key of that algorithm was created at or after
     * {@code dueBefore}, inserts {@code next} and schedules every other unretired key of that
     * algorithm to retire at {@code retireOthersAt}. Returns whether it inserted (false: another node
     * rotated already). {@link Instant#MIN} means "only if there is no published key of the
     * algorithm at all", {@link Instant#MAX} "unconditionally".
     */
    boolean rotateIfDue(StoredSigningKey next, Instant dueBefore, Instant retireOthersAt);

    /** Retires one key at {@code at}; false when unknown or already retired by then. */
    boolean retire(String kid, Instant at);
}
