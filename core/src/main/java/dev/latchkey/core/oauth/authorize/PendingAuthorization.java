package dev.latchkey.core.oauth.authorize;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A validated authorization request, stored while the user signs in or consents, or after a
 * client pushed it (RFC 9126). Only its id's hash is a key; the id is the {@code request_uri}. {@code organization}
 * is the organization the request named (id or slug, as sent); {@code chosenOrg} the one user {@code chosenBy}
 * picked on the chooser page (recorded only while that user is a member).
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
        String acrValues,
        String organization,
        UUID chosenOrg,
        UUID chosenBy) {

    public PendingAuthorization {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public PendingAuthorization(String clientId, String redirectUri, boolean redirectUriSent, String scope, String state, String nonce,
                                String codeChallenge, String prompt, Integer maxAge, String loginHint, boolean pushed, Instant createdAt,
                                Instant expiresAt, String acrValues) {
        this(clientId, redirectUri, redirectUriSent, scope, state, nonce, codeChallenge, prompt, maxAge, loginHint, pushed, createdAt,
                expiresAt, acrValues, null, null, null);
    }
}
