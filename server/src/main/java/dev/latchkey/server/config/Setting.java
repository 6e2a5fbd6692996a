package dev.latchkey.server.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting: its key (as in the file), its environment variable, its default (the
 * one place defaults live), how to parse it and what it means. {@link Settings} lists them all.
 */
public record Setting<T>(String key, String defaultValue, String type, String description, Function<String, T> parser,
                         boolean secret) {

    public Setting {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parser, "parser");
        if (!key.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*")) {
            throw new IllegalArgumentException("bad setting key " + key);
        }
    }

    /** {@code tokens.access_ttl} → {@code LATCHKEY_TOKENS_ACCESS_TTL}. */
    public String envName() {
        return "LATCHKEY_" + key.replace('.', '_').toUpperCase(Locale.ROOT);
    }
}
