package dev.latchkey.core.authz;

import dev.latchkey.core.authz.model.AuthorizationModel;
import java.time.Instant;
import java.util.Objects;

/** A model as stored: immutable, with the time it was written. */
public record StoredModel(AuthorizationModel model, Instant createdAt) {
    public StoredModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
