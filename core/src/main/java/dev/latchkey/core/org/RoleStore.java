package dev.latchkey.core.org;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Storage port for role definitions ({@link Role}); {@code orgId} null means the deployment-wide roles.
 * Implementations: {@code PgRoleStore} (PostgreSQL) and {@code MemoryRoleStore} (testkit), both held to
 * {@code RoleStoreContract}.
 */
public interface RoleStore {
    /** Creates or replaces the role named {@code role.name()} in its scope. */
    void put(Role role);

    Optional<Role> find(UUID orgId, String name);

    /** The roles of one scope only (deployment-wide when {@code orgId} is null), by name. */
    List<Role> list(UUID orgId);

    boolean delete(UUID orgId, String name);

    /**
     * The union of the permissions of {@code roles} as they apply in {@code orgId}: the organization's
     * role of a name where it has one, the deployment role of that name otherwise; unknown names add
     * nothing. Sorted, without duplicates. One query.
     */
    List<String> permissions(UUID orgId, Collection<String> roles);
}
