package dev.latchkey.core.identity;

import java.util.Locale;

/**
 * How Latchkey talks to an upstream identity provider: OpenID Connect (an ID token, OIDC Core §3.1)
 * or plain OAuth 2.0 with a profile API (RFC 6749 §4.1 and the provider's user and e-mail endpoints,
 * GitHub-style).
 */
public enum ProviderType {
    OIDC, OAUTH2;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProviderType parse(String s) {
        for (ProviderType t : values()) {
            if (t.wireName().equalsIgnoreCase(s == null ? "" : s.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("type must be oidc or oauth2");
    }
}
