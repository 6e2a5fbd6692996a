package dev.latchkey.core.oauth.authorize;

import dev.latchkey.core.oauth.Client;
import java.util.Objects;
import java.util.Set;

/** An authorization request that passed every check (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1). */
public record AuthorizationRequest(
        Client client,
        String redirectUri,
        Set<String> scopes,
        String state,
        String nonce,
        String codeChallenge,
        Set<String> prompt,
        Integer maxAge,
        String loginHint,
        boolean pushed) {

    public AuthorizationRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = Set.copyOf(scopes);
        prompt = Set.copyOf(prompt);
        Objects.requireNonNull(codeChallenge, "codeChallenge");
    }
}
