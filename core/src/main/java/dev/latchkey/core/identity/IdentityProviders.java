package dev.latchkey.core.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;

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

    /**
     * Creates or replaces the stored provider {@code name} from its fields ({@link ProviderDefinition}). The client
     * secret is write-only: left out, the stored one stays.
     */
    public IdentityProvider put(String name, Function<String, String> fields) {
        if (name == null || !name.matches(IdentityProvider.NAME_PATTERN)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "A provider name is 1 to 32 lower-case letters and digits, starting with a letter.", "bad provider name");
        }
        if (configured.containsKey(name)) {
            throw LatchkeyException.of(ErrorCode.PROVIDER_READ_ONLY, "put of configured provider " + name);
        }
        Optional<IdentityProvider> existing = stored.find(name);
        Function<String, String> withSecret = f -> {
            String v = fields.apply(f);
            return v == null && f.equals("client_secret") ? existing.map(IdentityProvider::clientSecret).orElse(null) : v;
        };
        IdentityProvider p;
        try {
            p = ProviderDefinition.build(name, withSecret);
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, e.getMessage().replace("\n", "; "), "provider definition refused");
        }
        stored.save(p);
        return p;
    }

    /** Removes the stored provider {@code name}. */
    public void remove(String name) {
        if (configured.containsKey(name)) {
            throw LatchkeyException.of(ErrorCode.PROVIDER_READ_ONLY, "delete of configured provider " + name);
        }
        if (name == null || !name.matches(IdentityProvider.NAME_PATTERN) || !stored.delete(name)) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "There is no such identity provider.", "delete of unknown provider");
        }
    }
}
