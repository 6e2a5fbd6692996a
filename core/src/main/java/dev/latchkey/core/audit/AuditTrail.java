package dev.latchkey.core.audit;

import java.util.List;
import java.util.UUID;

/** Reading stored audit events back (the append-only store's read side). */
public interface AuditTrail {
    /** A stored event and its position in the log (increasing with every append). */
    record Entry(long id, AuditEvent event) {
    }

    /**
     * One page of the events about {@code orgId}, newest first: those older than position {@code before}
     * (null: from the newest), at most {@code limit}. One indexed query.
     */
    List<Entry> ofOrg(UUID orgId, Long before, int limit);
}
