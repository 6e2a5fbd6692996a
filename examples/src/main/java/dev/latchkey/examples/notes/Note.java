package dev.latchkey.examples.notes;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A note as a row of {@code demo.notes} the caller may see. */
public record Note(UUID id, UUID ownerId, Optional<String> orgId, Visibility visibility, String title, String body, Instant createdAt) {
    public Note {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
