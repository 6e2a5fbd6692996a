package dev.latchkey.gateway.config;

import java.util.List;

/** Every configuration problem found at start, reported at once. */
public final class GatewayConfigException extends RuntimeException {
    private final List<String> problems;

    public GatewayConfigException(List<String> problems) {
        super("invalid gateway configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
