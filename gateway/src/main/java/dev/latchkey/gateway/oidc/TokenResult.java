package dev.latchkey.gateway.oidc;

import java.util.Optional;

/** The outcome of a token request (RFC 6749 §5.1 success, §5.2 error). */
public sealed interface TokenResult {
    /** Tokens issued. */
    record Issued(String accessToken, long expiresInSeconds, Optional<String> refreshToken, Optional<String> idToken)
            implements TokenResult {
        @Override
        public String toString() {
            return "Issued[expiresIn=" + expiresInSeconds + "]";
        }
    }

    /** The server refused: {@code error} is the RFC 6749 §5.2 code (invalid_grant, invalid_client …). */
    record Refused(int status, String error, String description) implements TokenResult {
    }
}
