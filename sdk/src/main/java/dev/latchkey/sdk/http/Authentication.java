package dev.latchkey.sdk.http;

import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.VerifiedToken;
import java.util.Objects;

/**
 * What the {@code Authorization} header of a request established (RFC 6750 §2.1). Authentication alone
 * never refuses a request: a {@link Guard} on the route decides whether it needs a principal, so public
 * routes keep working when a client sends a stale token.
 */
public sealed interface Authentication {
    /** A valid bearer token. */
    record Authenticated(VerifiedToken token) implements Authentication {
        public Authenticated {
            Objects.requireNonNull(token, "token");
        }
    }

    /** No bearer credentials at all: RFC 6750 §3.1 says the challenge then carries no error code. */
    record Anonymous() implements Authentication {
    }

    /** The request is malformed as a bearer request (RFC 6750 §3.1 {@code invalid_request}). */
    record InvalidRequest(String description) implements Authentication {
        public InvalidRequest {
            Objects.requireNonNull(description, "description");
        }
    }

    /** A bearer token was presented and refused; {@code reason} says why (and whether it is the issuer's fault). */
    record Rejected(RejectReason reason) implements Authentication {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
