package dev.latchkey.core.oauth.authorize;

import dev.latchkey.core.oauth.Client;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authorization request that passed every check (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1).
 * The scopes keep the order the client asked for them in: the consent page lists them so, and the
 * code and tokens carry them so. {@code acrValues}: the {@code acr_values} asked for (OIDC Core
 * §3.1.2.1); {@link #requiresMfa()} when they name {@code urn:latchkey:acr:mfa}. {@code organization}: Latchkey's
 * {@code organization} parameter (an organization's id or slug, as sent; null when the request names none). {@code redirectUriSent}: the client sent {@code redirect_uri} (rather
 * than relying on its only registered one), so redeeming the code requires it (RFC 6749 §4.1.3).
 */
public record AuthorizationRequest(
        Client client,
        String redirectUri,
        boolean redirectUriSent,
        Set<String> scopes,
        String state,
        String nonce,
        String codeChallenge,
        Set<String> prompt,
        Integer maxAge,
        String loginHint,
        boolean pushed,
        Set<String> acrValues,
        String organization) {

    public AuthorizationRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
        prompt = Set.copyOf(prompt);
        acrValues = acrValues == null ? Set.of() : Set.copyOf(acrValues);
        Objects.requireNonNull(codeChallenge, "codeChallenge");
    }

    /** A request that names no organization. */
    public AuthorizationRequest(Client client, String redirectUri, boolean redirectUriSent, Set<String> scopes, String state, String nonce,
                                String codeChallenge, Set<String> prompt, Integer maxAge, String loginHint, boolean pushed, Set<String> acrValues) {
        this(client, redirectUri, redirectUriSent, scopes, state, nonce, codeChallenge, prompt, maxAge, loginHint, pushed, acrValues, null);
    }

    /** The client asked for a multi-factor sign-in ({@code acr_values} names {@code urn:latchkey:acr:mfa}). */
    public boolean requiresMfa() {
        return acrValues.contains(dev.latchkey.core.authn.Acr.MULTI_FACTOR.wireName());
    }
}
