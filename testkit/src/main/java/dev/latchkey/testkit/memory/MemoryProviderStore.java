package dev.latchkey.testkit.memory;

import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.ProviderStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Stored identity providers in memory, listed by name. */
public final class MemoryProviderStore implements ProviderStore {
    private final ConcurrentSkipListMap<String, IdentityProvider> providers = new ConcurrentSkipListMap<>();

    @Override
    public List<IdentityProvider> list() {
        return List.copyOf(providers.values());
    }

    @Override
    public Optional<IdentityProvider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public void save(IdentityProvider provider) {
        providers.put(provider.name(), provider);
    }

    @Override
    public boolean delete(String name) {
        return providers.remove(name) != null;
    }
}
