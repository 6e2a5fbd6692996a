package dev.latchkey.testkit.memory;

import dev.latchkey.core.identity.UpstreamTokenStore;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Upstream tokens in memory. */
public final class MemoryUpstreamTokenStore implements UpstreamTokenStore {
    private final ConcurrentHashMap<String, Tokens> rows = new ConcurrentHashMap<>();

    @Override
    public void put(Tokens tokens) {
        rows.put(tokens.provider() + "\n" + tokens.subject(), tokens);
    }

    @Override
    public Optional<Tokens> find(String provider, String subject) {
        return Optional.ofNullable(rows.get(provider + "\n" + subject));
    }
}
