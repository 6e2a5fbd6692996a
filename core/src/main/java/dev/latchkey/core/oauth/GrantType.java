package dev.latchkey.core.oauth;

import java.util.Locale;
import java.util.Optional;

/** The grant types Latchkey supports (OAuth 2.1: no implicit, no password). */
public enum GrantType {
    AUTHORIZATION_CODE,
    REFRESH_TOKEN,
    CLIENT_CREDENTIALS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
