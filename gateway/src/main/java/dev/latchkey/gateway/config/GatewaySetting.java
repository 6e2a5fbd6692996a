package dev.latchkey.gateway.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One gateway setting: its environment variable ({@code LATCHKEY_GATEWAY_…}), its one default, what it means
 * and whether its value is a secret (never echoed in errors or logs). {@link GatewaySettings} lists them all;
 * docs/gateway.md documents each (a test keeps them equal).
 */
public record GatewaySetting(String name, String defaultValue, String description, boolean secret) {

    public GatewaySetting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("bad setting name " + name);
        }
    }

    /** {@code ISSUER} → {@code LATCHKEY_GATEWAY_ISSUER}. */
    public String envName() {
        return "LATCHKEY_GATEWAY_" + name.toUpperCase(Locale.ROOT);
    }
}
