package dev.latchkey.testkit.memory;

import dev.latchkey.core.org.Role;
import dev.latchkey.core.org.RoleStore;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Role definitions in memory, for core tests; held to the same contract as PostgreSQL's. */
public final class MemoryRoleStore implements RoleStore {
    private record Key(UUID orgId, String name) {
    }

    private final Map<Key, Role> roles = new ConcurrentHashMap<>();

    @Override
    public void put(Role role) {
        roles.put(new Key(role.orgId(), role.name()), role);
    }

    @Override
    public Optional<Role> find(UUID orgId, String name) {
        return Optional.ofNullable(roles.get(new Key(orgId, name)));
    }

    @Override
    public List<Role> list(UUID orgId) {
        return roles.values().stream().filter(r -> Objects.equals(r.orgId(), orgId)).sorted(Comparator.comparing(Role::name)).toList();
    }

    @Override
    public boolean delete(UUID orgId, String name) {
        return roles.remove(new Key(orgId, name)) != null;
    }

    @Override
    public List<String> permissions(UUID orgId, Collection<String> names) {
        TreeSet<String> out = new TreeSet<>();
        for (String n : names) {
            Role r = orgId == null ? null : roles.get(new Key(orgId, n));
            if (r == null) {
                r = roles.get(new Key(null, n));
            }
            if (r != null) {
                out.addAll(r.permissions());
            }
        }
        return List.copyOf(out);
    }
}
