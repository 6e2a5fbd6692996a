package dev.latchkey.core.audit;

/** Where audit events go: an append-only store, and a JSON log line. */
public interface AuditSink {
    void record(AuditEvent event);
}
