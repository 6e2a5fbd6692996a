package dev.latchkey.core.oauth;

import java.util.Locale;
import java.util.Optional;

/** The grant types Latchkey supports (OAuth 2.1: no implicit, no password). */
public enum GrantType {
    AUTHORIZATION_CODE,
    REFRESH_TOKEN,
    CLIENT_CREDENTIALS,
    /** RFC 8693 token exchange; Latchkey exchanges API keys (docs/authorization.md#api-keys). */
    TOKEN_EXCHANGE("urn:ietf:params:oauth:grant-type:token-exchange");

    private final String wireName;

    GrantType() {
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    GrantType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<GrantType> fromWire(String s) {
        for (GrantType g : values()) {
            if (g.wireName().equals(s)) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }
}
