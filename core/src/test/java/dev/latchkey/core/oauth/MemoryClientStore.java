package dev.latchkey.core.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Clients in a map, for unit tests of the registry (PostgreSQL's store is tested in store-sql and over HTTP). */
final class MemoryClientStore implements ClientStore {
    final Map<String, Client> clients = new ConcurrentHashMap<>();

    @Override
    public boolean create(Client client) {
        return clients.putIfAbsent(client.clientId(), client) == null;
    }

    @Override
    public Optional<Client> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public List<Client> list() {
        return new ArrayList<>(clients.values());
    }

    @Override
    public boolean update(Client client) {
        return clients.replace(client.clientId(), client) != null;
    }

    @Override
    public boolean delete(String clientId) {
        return clients.remove(clientId) != null;
    }
}
