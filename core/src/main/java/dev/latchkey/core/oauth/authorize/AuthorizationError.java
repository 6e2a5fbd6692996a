package dev.latchkey.core.oauth.authorize;

import dev.latchkey.core.error.ErrorCode;

/**
 * A refused authorization request. {@code redirectUri} is null when the error must be shown on an
 * error page because the client or redirect URI could not be trusted (RFC 6749 §4.1.2.1); otherwise
 * the error goes back to that (registered) URI with the state.
 */
public record AuthorizationError(ErrorCode code, String description, String redirectUri, String state, String detail) {
    public boolean redirectable() {
        return redirectUri != null;
    }
}
