package dev.latchkey.store.sql;

import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys for the admin API, stored as SHA-256 hashes; the key itself is shown once. */
public final class PgAdminKeys {
    public static final String PREFIX = "lka_";

    private final Jdbc jdbc;

    public PgAdminKeys(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One key as listed (never its value). {@code orgId} is null for a deployment key, else the one organization
     * the key may administer.
     */
    public record AdminKey(UUID id, String name, UUID orgId, Instant createdAt, Instant revokedAt) {
        public boolean deployment() {
            return orgId == null;
        }
    }

    /** A key just made: its record and its value in clear, shown once. */
    public record Created(AdminKey key, String secret) {
    }

    /** Creates a deployment key; returns it in clear, once. */
    public String create(String name, Instant now) {
        return create(name, null, now).secret();
    }

    /**
     * Creates a key bound to {@code orgId} (null: a deployment key). The organization must exist (foreign key:
     * an unknown one fails the insert).
     */
    public Created create(String name, UUID orgId, Instant now) {
        String key = PREFIX + RandomTokens.token();
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO admin_api_keys (id, name, org_id, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                id, name, orgId, Digests.sha256(key), now);
        return new Created(new AdminKey(id, name, orgId, now, null), key);
    }

    /** The active key presented, if any (looked up by its hash). */
    public Optional<AdminKey> authenticate(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 100) {
            return Optional.empty();
        }
        return jdbc.queryOne("SELECT id, name, org_id, created_at, revoked_at FROM admin_api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                PgAdminKeys::key, Digests.sha256(presented));
    }

    /** Whether {@code presented} is an active <em>deployment</em> key (an org-scoped key is not). */
    public boolean valid(String presented) {
        return authenticate(presented).map(AdminKey::deployment).orElse(false);
    }

    public List<AdminKey> list() {
        return jdbc.query("SELECT id, name, org_id, created_at, revoked_at FROM admin_api_keys ORDER BY created_at", PgAdminKeys::key);
    }

    /** The keys bound to one organization. */
    public List<AdminKey> list(UUID orgId) {
        return jdbc.query("SELECT id, name, org_id, created_at, revoked_at FROM admin_api_keys WHERE org_id = ? ORDER BY created_at",
                PgAdminKeys::key, orgId);
    }

    public boolean revoke(UUID id, Instant now) {
        return jdbc.update("UPDATE admin_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) == 1;
    }

    /** Revokes a key of {@code orgId} only (one conditional update): false for another organization's key. */
    public boolean revoke(UUID id, UUID orgId, Instant now) {
        return jdbc.update("UPDATE admin_api_keys SET revoked_at = ? WHERE id = ? AND org_id = ? AND revoked_at IS NULL", now, id, orgId) == 1;
    }

    private static AdminKey key(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AdminKey(Jdbc.uuid(rs, "id"), rs.getString("name"), Jdbc.uuid(rs, "org_id"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "revoked_at"));
    }
}
