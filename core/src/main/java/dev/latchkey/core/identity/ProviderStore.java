package dev.latchkey.core.identity;

import java.util.List;
import java.util.Optional;

/**
 * Storage port for the providers an operator adds through the admin API or the CLI (providers from
 * the configuration file and environment are not stored). Adapters seal the client secret with the
 * master key; what they return has it in plaintext, for the token requests.
 */
public interface ProviderStore {
    List<IdentityProvider> list();

    Optional<IdentityProvider> find(String name);

    /** Inserts or replaces the provider of that name. */
    void save(IdentityProvider provider);

    /** False when there was none. Identities it linked stay (they sign in again when a provider of that name returns). */
    boolean delete(String name);
}
