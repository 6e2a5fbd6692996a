package dev.latchkey.core.oauth;

import java.util.Locale;
import java.util.Optional;

/** How a client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, OIDC Core §9). */
public enum ClientAuthMethod {
    CLIENT_SECRET_BASIC,
    CLIENT_SECRET_POST,
    PRIVATE_KEY_JWT,
    /** A public client: no secret, PKCE only. */
    NONE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean usesSecret() {
        return this == CLIENT_SECRET_BASIC || this == CLIENT_SECRET_POST;
    }

    public static Optional<ClientAuthMethod> fromWire(String s) {
        for (ClientAuthMethod m : values()) {
            if (m.wireName().equals(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
