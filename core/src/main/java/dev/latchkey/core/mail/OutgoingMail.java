package dev.latchkey.core.mail;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A rendered mail waiting in (or taken from) the outbox. Its bodies hold links: never logged. */
public record OutgoingMail(UUID id, String to, String subject, String text, String html, Instant createdAt) {
    public OutgoingMail {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "OutgoingMail[" + id + "]";
    }
}
