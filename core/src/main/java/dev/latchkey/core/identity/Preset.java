package dev.latchkey.core.identity;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Known providers with their endpoints, scopes and claim mapping (docs/identity-providers.md,
 * "Presets"). A preset only fills in what the operator did not set.
 */
public enum Preset {
    /** Any OpenID Connect provider, found by discovery from its issuer. */
    OIDC,
    /** Any plain OAuth 2.0 provider with a user endpoint (and optionally a GitHub-style e-mails endpoint). */
    OAUTH2,
    GOOGLE,
    /** Microsoft Entra ID (v2.0 endpoints of one tenant). */
    MICROSOFT,
    GITHUB,
    GITLAB,
    /** Sign in with Apple: OIDC with a client secret that is an ES256 JWT Latchkey signs ({@link AppleClientSecret}). */
    APPLE,
    /** Another Latchkey server as the upstream provider. */
    LATCHKEY;

    /** What a preset contributes. */
    public record Template(ProviderType type, ProviderEndpoints endpoints, List<String> scopes, ClaimMapping claims) {
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Preset parse(String s) {
        for (Preset p : values()) {
            if (p.wireName().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("preset must be one of oidc, oauth2, google, microsoft, github, gitlab, apple, latchkey");
    }

    /**
     * The preset's template. {@code issuer} overrides the preset's (required for {@link #OIDC} and
     * {@link #LATCHKEY}, optional for a self-hosted GitLab); {@code tenant} names the Entra ID tenant.
     */
    public Template template(Optional<URI> issuer, Optional<String> tenant) {
        List<String> oidcScopes = List.of("openid", "email", "profile");
        return switch (this) {
            case OIDC, LATCHKEY -> new Template(ProviderType.OIDC, ProviderEndpoints.ofIssuer(required(issuer)), oidcScopes, ClaimMapping.OIDC);
            case OAUTH2 -> new Template(ProviderType.OAUTH2, new ProviderEndpoints(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty()), List.of(), new ClaimMapping("id", "email", "email_verified", "name"));
            case GOOGLE -> new Template(ProviderType.OIDC, ProviderEndpoints.ofIssuer(issuer.orElse(URI.create("https://accounts.google.com"))),
                    oidcScopes, ClaimMapping.OIDC);
            case MICROSOFT -> {
                String t = tenant.orElseThrow(() -> new IllegalArgumentException("the microsoft preset needs the tenant id"));
                if (!t.matches("[A-Za-z0-9.\\-]{1,100}")) {
                    throw new IllegalArgumentException("tenant must be a tenant id or domain");
                }
                // the v2.0 issuer of one tenant; "common" has no single issuer to check ID tokens against
                yield new Template(ProviderType.OIDC, ProviderEndpoints.ofIssuer(issuer.orElse(
                        URI.create("https://login.microsoftonline.com/" + t + "/v2.0"))), oidcScopes,
                        new ClaimMapping("sub", "email", "email_verified", "name"));
            }
            case GITHUB -> new Template(ProviderType.OAUTH2, new ProviderEndpoints(Optional.empty(),
                    Optional.of(URI.create("https://github.com/login/oauth/authorize")),
                    Optional.of(URI.create("https://github.com/login/oauth/access_token")),
                    Optional.of(URI.create("https://api.github.com/user")),
                    Optional.of(URI.create("https://api.github.com/user/emails"))),
                    List.of("read:user", "user:email"), new ClaimMapping("id", "email", "email_verified", "name"));
            case GITLAB -> new Template(ProviderType.OIDC, ProviderEndpoints.ofIssuer(issuer.orElse(URI.create("https://gitlab.com"))),
                    List.of("openid", "email", "profile"), ClaimMapping.OIDC);
            case APPLE -> new Template(ProviderType.OIDC, ProviderEndpoints.ofIssuer(issuer.orElse(URI.create("https://appleid.apple.com"))),
                    List.of("openid", "email"), ClaimMapping.OIDC);
        };
    }

    private URI required(Optional<URI> issuer) {
        return issuer.orElseThrow(() -> new IllegalArgumentException("the " + wireName() + " preset needs the issuer URL"));
    }
}
