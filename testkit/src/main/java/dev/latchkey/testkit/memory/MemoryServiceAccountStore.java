package dev.latchkey.testkit.memory;

import dev.latchkey.core.org.ServiceAccount;
import dev.latchkey.core.org.ServiceAccountStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Service accounts in memory, for core tests; held to the same contract as PostgreSQL's. Disables are recorded in {@link #announced}. */
public final class MemoryServiceAccountStore implements ServiceAccountStore {
    private final Map<UUID, ServiceAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, UUID> owners = new ConcurrentHashMap<>();
    /** The ids announced as disabled or deleted, in order (what PostgreSQL writes to its revocation log). */
    public final List<UUID> announced = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void create(ServiceAccount a) {
        if (accounts.putIfAbsent(a.id(), a) != null) {
            throw new IllegalStateException("duplicate service account " + a.id());
        }
    }

    @Override
    public Optional<ServiceAccount> find(UUID orgId, UUID id) {
        return find(id).filter(a -> a.orgId().equals(orgId));
    }

    @Override
    public Optional<ServiceAccount> find(UUID id) {
        return Optional.ofNullable(accounts.get(id));
    }

    @Override
    public List<ServiceAccount> list(UUID orgId, UUID after, int limit) {
        return accounts.values().stream().filter(a -> a.orgId().equals(orgId)).filter(a -> after == null || a.id().toString().compareTo(after.toString()) > 0)
                .sorted(Comparator.comparing(a -> a.id().toString())).limit(limit).toList();
    }

    @Override
    public synchronized Optional<ServiceAccount> update(UUID orgId, UUID id, String name, String description, List<String> roles,
                                                        Boolean disabled, Instant now) {
        Optional<ServiceAccount> old = find(orgId, id);
        if (old.isEmpty()) {
            return old;
        }
        ServiceAccount o = old.get();
        Instant disabledAt = disabled == null ? o.disabledAt() : disabled ? (o.disabledAt() == null ? now : o.disabledAt()) : null;
        ServiceAccount n = new ServiceAccount(id, orgId, name == null ? o.name() : name,
                description == null ? o.description() : description.isEmpty() ? null : description, roles == null ? o.roles() : roles,
                disabledAt == null ? null : disabledAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS), o.createdAt());
        accounts.put(id, n);
        if (Boolean.TRUE.equals(disabled) && o.disabledAt() == null) {
            announced.add(id);
        }
        return Optional.of(n);
    }

    @Override
    public synchronized boolean delete(UUID orgId, UUID id, Instant now) {
        if (find(orgId, id).isEmpty()) {
            return false;
        }
        accounts.remove(id);
        owners.values().removeIf(id::equals);
        announced.add(id);
        return true;
    }

    @Override
    public synchronized boolean bindClient(UUID orgId, UUID id, String clientId) {
        if (find(orgId, id).filter(a -> !a.disabled()).isEmpty() || owners.containsKey(clientId)) {
            return false;
        }
        owners.put(clientId, id);
        return true;
    }

    @Override
    public Optional<ServiceAccount> ownerOf(String clientId) {
        UUID id = owners.get(clientId);
        return id == null ? Optional.empty() : find(id);
    }

    @Override
    public List<String> clients(UUID orgId, UUID id) {
        return find(orgId, id).isEmpty() ? List.of()
                : owners.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).sorted().toList();
    }
}
