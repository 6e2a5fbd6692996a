package dev.latchkey.store.sql;

import dev.latchkey.core.org.ServiceAccount;
import dev.latchkey.core.org.ServiceAccountStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Service accounts on PostgreSQL (table {@code service_accounts}, migration V44). */
public final class PgServiceAccountStore implements ServiceAccountStore {
    private static final String ANNOUNCE = """
            INSERT INTO revocations (at, kind, user_id, org_id) VALUES (?, 'service_account_disabled', ?, ?)""";
    private final Jdbc jdbc;

    public PgServiceAccountStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(ServiceAccount a) {
        jdbc.inTransaction(c -> Jdbc.update(c, """
                INSERT INTO service_accounts (id, org_id, name, description, roles, disabled_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                a.id(), a.orgId(), a.name(), a.description(), c.createArrayOf("text", a.roles().toArray()), a.disabledAt(), a.createdAt()));
    }

    @Override
    public Optional<ServiceAccount> find(UUID orgId, UUID id) {
        return jdbc.queryOne("SELECT * FROM service_accounts WHERE org_id = ? AND id = ?", PgServiceAccountStore::map, orgId, id);
    }

    @Override
    public Optional<ServiceAccount> find(UUID id) {
        return jdbc.queryOne("SELECT * FROM service_accounts WHERE id = ?", PgServiceAccountStore::map, id);
    }

    @Override
    public List<ServiceAccount> list(UUID orgId, UUID after, int limit) {
        return jdbc.query("SELECT * FROM service_accounts WHERE org_id = ? AND (?::uuid IS NULL OR id > ?::uuid) ORDER BY id LIMIT ?",
                PgServiceAccountStore::map, orgId, after, after, limit);
    }

    @Override
    public Optional<ServiceAccount> update(UUID orgId, UUID id, String name, String description, List<String> roles, Boolean disabled,
                                           Instant now) {
        boolean[] announced = {false};
        Optional<ServiceAccount> changed = jdbc.inTransaction(c -> {
            // one conditional UPDATE; "was" tells whether this statement is the one that disabled it
            List<Object[]> rows = Jdbc.query(c, """
                    WITH old AS (SELECT id, disabled_at FROM service_accounts WHERE org_id = ? AND id = ? FOR UPDATE)
                    UPDATE service_accounts s SET name = coalesce(?, s.name),
                        description = CASE WHEN ?::text IS NULL THEN s.description WHEN ?::text = '' THEN NULL ELSE ?::text END,
                        roles = coalesce(?::text[], s.roles),
                        disabled_at = CASE WHEN ?::boolean IS NULL THEN s.disabled_at WHEN ?::boolean THEN coalesce(s.disabled_at, ?) ELSE NULL END
                    FROM old WHERE s.id = old.id
                    RETURNING s.*, old.disabled_at AS was_disabled_at""",
                    rs -> new Object[] {map(rs), rs.getObject("was_disabled_at")}, orgId, id, name, description, description, description,
                    roles == null ? null : c.createArrayOf("text", roles.stream().distinct().sorted().toArray()), disabled, disabled, now);
            if (rows.isEmpty()) {
                return Optional.<ServiceAccount>empty();
            }
            ServiceAccount sa = (ServiceAccount) rows.get(0)[0];
            if (Boolean.TRUE.equals(disabled) && rows.get(0)[1] == null) {
                Jdbc.update(c, ANNOUNCE, now, id, orgId);
                announced[0] = true;
            }
            return Optional.of(sa);
        });
        if (announced[0]) {
            jdbc.revocationsCommitted();            // this node's caches and feed catch up before the request returns
        }
        return changed;
    }

    @Override
    public boolean delete(UUID orgId, UUID id, Instant now) {
        boolean deleted = jdbc.inTransaction(c -> {
            // the row lock first: a concurrent deletion waits here and then finds nothing (no second announcement)
            if (Jdbc.query(c, "SELECT id FROM service_accounts WHERE org_id = ? AND id = ? FOR UPDATE", rs -> rs.getObject(1), orgId, id)
                    .isEmpty()) {
                return false;
            }
            // its API keys go with it; each one still live is announced like a revocation (the key id is the sid of
            // the tokens exchanged for it), in the same transaction as the deletion
            List<UUID> live = Jdbc.query(c, "DELETE FROM api_keys WHERE owner_kind = 'service_account' AND owner_id = ? RETURNING id, revoked_at",
                    rs -> rs.getObject("revoked_at") == null ? Jdbc.uuid(rs, "id") : null, id);
            for (UUID key : live) {
                if (key != null) {
                    Revocations.session(c, id, key, now);
                }
            }
            Jdbc.update(c, "DELETE FROM service_accounts WHERE org_id = ? AND id = ?", orgId, id);
            Jdbc.update(c, ANNOUNCE, now, id, orgId);
            return true;
        });
        if (deleted) {
            jdbc.revocationsCommitted();
        }
        return deleted;
    }

    @Override
    public boolean bindClient(UUID orgId, UUID id, String clientId) {
        return jdbc.update("""
                UPDATE oauth_clients SET service_account_id = s.id FROM service_accounts s
                WHERE oauth_clients.client_id = ? AND oauth_clients.service_account_id IS NULL
                  AND s.org_id = ? AND s.id = ? AND s.disabled_at IS NULL""", clientId, orgId, id) == 1;
    }

    @Override
    public Optional<ServiceAccount> ownerOf(String clientId) {
        return jdbc.queryOne("""
                SELECT s.* FROM oauth_clients b JOIN service_accounts s ON s.id = b.service_account_id WHERE b.client_id = ?""",
                PgServiceAccountStore::map, clientId);
    }

    @Override
    public List<String> clients(UUID orgId, UUID id) {
        return jdbc.query("""
                SELECT b.client_id FROM oauth_clients b JOIN service_accounts s ON s.id = b.service_account_id
                WHERE s.org_id = ? AND s.id = ? ORDER BY b.client_id""", rs -> rs.getString(1), orgId, id);
    }

    static ServiceAccount map(ResultSet rs) throws SQLException {
        return new ServiceAccount(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "org_id"), rs.getString("name"), rs.getString("description"),
                PgClientStore.strings(rs, "roles"), Jdbc.instant(rs, "disabled_at"), Jdbc.instant(rs, "created_at"));
    }
}
