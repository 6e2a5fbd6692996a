package dev.latchkey.core.authn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A sign-in that has completed some steps but needs another before it is a session: whose it is,
 * what completed, and since when (a pending sign-in expires; see {@link LoginFlow#PENDING_TTL}).
 */
public record PendingSignIn(UUID userId, List<CompletedStep> steps, Instant startedAt) {
    public PendingSignIn {
        Objects.requireNonNull(userId, "userId");
        steps = List.copyOf(steps);
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
