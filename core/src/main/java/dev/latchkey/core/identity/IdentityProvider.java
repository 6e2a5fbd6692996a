package dev.latchkey.core.identity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured upstream identity provider. {@code name} is the stable key: it is the
 * {@code provider} of every identity it links ({@code (provider, subject)}, OIDC Core §2: a
 * {@code sub} is unique only within its issuer), the {@code idp} authorization hint and the
 * {@code idp} claim of Latchkey's ID tokens. The client secret is plaintext only in memory: stores
 * seal it with the master key, {@link #toString()} never prints it.
 *
 * @param apple for the Apple preset: the team and key id that sign the client-secret JWT (the secret is then the
 *              private key in PEM form)
 */
public record IdentityProvider(String name, ProviderType type, Preset preset, String label, ProviderEndpoints endpoints,
                               String clientId, String clientSecret, List<String> scopes, ClaimMapping claims, ProviderPolicy policy,
                               boolean enabled, Optional<AppleClientSecret.Signer> apple) {
    /** Names double as environment-variable parts ({@code LATCHKEY_IDP_<NAME>_…}), so no separators. */
    public static final String NAME_PATTERN = "[a-z][a-z0-9]{0,31}";

    public IdentityProvider {
        Objects.requireNonNull(name, "name");
        if (!name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("provider name must be 1 to 32 lower-case letters and digits, starting with a letter");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(preset, "preset");
        label = label == null || label.isBlank() ? defaultLabel(name) : label.strip();
        if (label.length() > 60 || label.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("label must be at most 60 characters without control characters");
        }
        Objects.requireNonNull(endpoints, "endpoints");
        if (clientId == null || clientId.isBlank() || clientId.length() > 255) {
            throw new IllegalArgumentException("client id is required (at most 255 characters)");
        }
        clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
        scopes = List.copyOf(scopes);
        for (String s : scopes) {
            if (!s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}")) {
                throw new IllegalArgumentException("scope '" + s + "' is not a valid scope token (RFC 6749 §3.3)");
            }
        }
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(apple, "apple");
        if (type == ProviderType.OIDC && endpoints.issuer().isEmpty()) {
            throw new IllegalArgumentException("an OpenID Connect provider needs its issuer");
        }
        if (type == ProviderType.OAUTH2 && (endpoints.authorization().isEmpty() || endpoints.token().isEmpty()
                || endpoints.userinfo().isEmpty())) {
            throw new IllegalArgumentException("a plain OAuth 2.0 provider needs its authorization, token and user endpoints");
        }
        if (type == ProviderType.OIDC && !scopes.contains("openid")) {
            throw new IllegalArgumentException("an OpenID Connect provider's scopes must include openid");
        }
        if (apple.isPresent() && clientSecret == null) {
            throw new IllegalArgumentException("the Apple preset needs the private key (PEM) as its client secret");
        }
    }

    public IdentityProvider withEnabled(boolean on) {
        return new IdentityProvider(name, type, preset, label, endpoints, clientId, clientSecret, scopes, claims, policy, on, apple);
    }

    private static String defaultLabel(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    @Override
    public String toString() {
        return "IdentityProvider[" + name + " " + type.wireName() + " " + preset.wireName() + " client " + clientId
                + (clientSecret == null ? "" : " secret ***") + "]";
    }
}
