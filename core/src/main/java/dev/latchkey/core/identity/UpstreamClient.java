package dev.latchkey.core.identity;

import java.net.URI;

/**
 * Talks to upstream providers: the authorization request to send the browser with (RFC 6749 §4.1.1,
 * PKCE S256 RFC 7636 §4.3, OIDC {@code nonce}), and the callback's code exchange with every check
 * (OIDC Core §3.1.3.5–§3.1.3.7, or the plain OAuth 2.0 profile calls).
 */
public interface UpstreamClient {
    URI authorizationRequest(IdentityProvider provider, URI redirectUri, String state, String nonce, String codeVerifier)
            throws UpstreamFailure;

    UpstreamProfile exchange(IdentityProvider provider, URI redirectUri, String code, String codeVerifier, String nonce)
            throws UpstreamFailure;
}
