package dev.latchkey.core.oauth.authorize;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What an authorization code stands for: bound to its client, redirect URI and PKCE challenge.
 * {@code redirectUriSent}: the authorization request carried {@code redirect_uri}, so the token
 * request must carry the same one (RFC 6749 §4.1.3); otherwise it may leave it out.
 * {@code orgId}: the organization the grant is for (null: the user's oldest membership).
 */
public record AuthorizationCode(
        String clientId,
        String redirectUri,
        boolean redirectUriSent,
        UUID userId,
        UUID browserSessionId,
        String scope,
        String nonce,
        String codeChallenge,
        Instant authTime,
        String amr,
        Instant createdAt,
        Instant expiresAt,
        UUID orgId) {

    public AuthorizationCode {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(browserSessionId, "browserSessionId");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
    }

    /** A code for no particular organization (the grant gets the user's oldest membership). */
    public AuthorizationCode(String clientId, String redirectUri, boolean redirectUriSent, UUID userId, UUID browserSessionId, String scope,
                             String nonce, String codeChallenge, Instant authTime, String amr, Instant createdAt, Instant expiresAt) {
        this(clientId, redirectUri, redirectUriSent, userId, browserSessionId, scope, nonce, codeChallenge, authTime, amr, createdAt, expiresAt, null);
    }
}
