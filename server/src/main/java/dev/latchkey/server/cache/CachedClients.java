package dev.latchkey.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Client registrations cached in memory: the token endpoint looks a client up on every request.
 * Changes made on this node evict at once; changes made on another node are seen within {@code ttl}.
 */
public final class CachedClients implements ClientStore {
    private final ClientStore store;
    private final Cache<String, Optional<Client>> cache;

    public CachedClients(ClientStore store, Duration ttl) {
        this.store = store;
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(ttl).build();
    }

    @Override
    public boolean create(Client client) {
        cache.invalidate(client.clientId());
        return store.create(client);
    }

    @Override
    public Optional<Client> find(String clientId) {
        if (clientId == null || clientId.length() > 256) {
            return Optional.empty();
        }
        return cache.get(clientId, store::find);
    }

    @Override
    public List<Client> list() {
        return store.list();
    }

    @Override
    public boolean update(Client client) {
        boolean ok = store.update(client);
        cache.invalidate(client.clientId());
        return ok;
    }

    @Override
    public boolean delete(String clientId) {
        boolean ok = store.delete(clientId);
        cache.invalidate(clientId);
        return ok;
    }
}
