package dev.latchkey.sdk.http;

import java.util.Objects;
import java.util.Set;

/** Why an authenticated principal may not proceed; both are 403 responses. */
public sealed interface Denial {
    /** RFC 6750 §3.1 {@code insufficient_scope}: the challenge names the scopes needed. */
    record InsufficientScope(Set<String> required) implements Denial {
        public InsufficientScope {
            required = Set.copyOf(required);
        }
    }

    /** A role, permission or ownership check failed; {@code logDetail} goes to logs, not to the client. */
    record Forbidden(String logDetail) implements Denial {
        public Forbidden {
            Objects.requireNonNull(logDetail, "logDetail");
        }
    }
}
