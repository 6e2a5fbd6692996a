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

    /**
     * RFC 9470 §3 {@code insufficient_user_authentication}: the sign-in behind the token is not strong
     * enough ({@code acrValues} it should have had) or too old ({@code maxAgeSeconds}); the client asks
     * the user to authenticate again, e.g. through the gateway's {@code /auth/login?acr=…}.
     */
    record InsufficientAuthentication(Set<String> acrValues, java.util.OptionalLong maxAgeSeconds) implements Denial {
        public InsufficientAuthentication {
            acrValues = Set.copyOf(acrValues);
            Objects.requireNonNull(maxAgeSeconds, "maxAgeSeconds");
        }
    }

    /** A role, permission or ownership check failed; {@code logDetail} goes to logs, not to the client. */
    record Forbidden(String logDetail) implements Denial {
        public Forbidden {
            Objects.requireNonNull(logDetail, "logDetail");
        }
    }
}
