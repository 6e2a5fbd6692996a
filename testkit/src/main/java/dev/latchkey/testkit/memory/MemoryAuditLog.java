package dev.latchkey.testkit.memory;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import java.util.ArrayList;
import java.util.List;

/** Audit events kept in memory, for assertions. */
public final class MemoryAuditLog implements AuditSink {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(event);
    }

    public synchronized List<AuditEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<AuditEvent> ofType(AuditType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }
}
