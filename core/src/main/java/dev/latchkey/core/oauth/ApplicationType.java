package dev.latchkey.core.oauth;

import java.util.Locale;
import java.util.Optional;

/**
 * OpenID Connect Dynamic Client Registration 1.0 §2 {@code application_type}: {@code web} (the
 * default) or {@code native}. Only a native app, which listens on an ephemeral port of its own
 * device, may have a loopback redirect URI matched with any port (RFC 8252 §7.3).
 */
public enum ApplicationType {
    WEB,
    NATIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ApplicationType> fromWire(String s) {
        for (ApplicationType t : values()) {
            if (t.wireName().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
