package dev.latchkey.store.sql;

import dev.latchkey.core.org.Role;
import dev.latchkey.core.org.RoleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Role definitions on PostgreSQL (table {@code roles}, migration V26). */
public final class PgRoleStore implements RoleStore {
    /**
     * The permissions of a set of role names in an organization (?1 roles, ?2 and ?3 the org): the
     * org's role of a name where it has one, else the deployment role. Shared with the revocation
     * entry {@link PgOrgStore} writes when a member's roles change.
     */
    static final String PERMISSIONS_SQL = """
            SELECT coalesce(array_agg(DISTINCT p ORDER BY p), '{}') AS permissions FROM roles r, unnest(r.permissions) p
            WHERE r.name = ANY (?) AND (r.org_id = ?::uuid OR (r.org_id IS NULL AND NOT EXISTS (
                SELECT 1 FROM roles o WHERE o.org_id = ?::uuid AND o.name = r.name)))""";

    private final Jdbc jdbc;

    public PgRoleStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(Role role) {
        jdbc.inTransaction(c -> Jdbc.update(c, """
                INSERT INTO roles (org_id, name, description, permissions, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT ON CONSTRAINT roles_scope_name DO UPDATE
                SET description = EXCLUDED.description, permissions = EXCLUDED.permissions, updated_at = EXCLUDED.updated_at""",
                role.orgId(), role.name(), role.description(), c.createArrayOf("text", role.permissions().toArray()), role.updatedAt()));
    }

    @Override
    public Optional<Role> find(UUID orgId, String name) {
        return jdbc.queryOne("SELECT * FROM roles WHERE org_id IS NOT DISTINCT FROM ?::uuid AND name = ?", PgRoleStore::role, orgId, name);
    }

    @Override
    public List<Role> list(UUID orgId) {
        return jdbc.query("SELECT * FROM roles WHERE org_id IS NOT DISTINCT FROM ?::uuid ORDER BY name", PgRoleStore::role, orgId);
    }

    @Override
    public boolean delete(UUID orgId, String name) {
        return jdbc.update("DELETE FROM roles WHERE org_id IS NOT DISTINCT FROM ?::uuid AND name = ?", orgId, name) == 1;
    }

    @Override
    public List<String> permissions(UUID orgId, Collection<String> roles) {
        if (roles.isEmpty()) {
            return List.of();
        }
        return jdbc.inTransaction(c -> Jdbc.query(c, PERMISSIONS_SQL, rs -> PgClientStore.strings(rs, "permissions"),
                c.createArrayOf("text", roles.toArray()), orgId, orgId).get(0));
    }

    static Role role(ResultSet rs) throws SQLException {
        return new Role(Jdbc.uuid(rs, "org_id"), rs.getString("name"), rs.getString("description"),
                PgClientStore.strings(rs, "permissions"), Jdbc.instant(rs, "updated_at"));
    }
}
