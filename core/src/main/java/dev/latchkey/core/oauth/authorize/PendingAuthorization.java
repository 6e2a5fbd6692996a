package dev.latchkey.core.oauth.authorize;

import java.time.Instant;
import java.util.Objects;

/**
 * A validated authorization request, stored while the user signs in or consents, or after a
 * client pushed it (RFC 9126). Only its id's hash is a key; the id is the {@code request_uri}.
 */
public record PendingAuthorization(
        String clientId,
        String redirectUri,
        boolean redirectUriSent,
        String scope,
        String state,
        String nonce,
        String codeChallenge,
        String prompt,
        Integer maxAge,
        String loginHint,
        boolean pushed,
        Instant createdAt,
        Instant expiresAt,
        String acrValues) {

    public PendingAuthorization {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
