package dev.latchkey.core.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The providers in force: those of the configuration (read-only at run time) and those stored through
 * the admin API. A configured provider's name cannot be reused by a stored one.
 */
public final class IdentityProviders {
    private final Map<String, IdentityProvider> configured = new LinkedHashMap<>();
    private final ProviderStore stored;

    public IdentityProviders(List<IdentityProvider> configured, ProviderStore stored) {
        configured.forEach(p -> this.configured.put(p.name(), p));
        this.stored = stored;
    }

    public Optional<IdentityProvider> find(String name) {
        if (name == null || !name.matches(IdentityProvider.NAME_PATTERN)) {
            return Optional.empty();
        }
        IdentityProvider p = configured.get(name);
        return p != null ? Optional.of(p) : stored.find(name);
    }

    /** Configured providers first (in their order), then stored ones by name. */
    public List<IdentityProvider> all() {
        List<IdentityProvider> out = new ArrayList<>(configured.values());
        stored.list().stream().filter(p -> !configured.containsKey(p.name())).forEach(out::add);
        return out;
    }

    public List<IdentityProvider> enabled() {
        return all().stream().filter(IdentityProvider::enabled).toList();
    }

    public boolean configured(String name) {
        return configured.containsKey(name);
    }

    public ProviderStore store() {
        return stored;
    }
}
