package dev.latchkey.store.sql;

import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** API keys for the admin API, stored as SHA-256 hashes; the key itself is shown once. */
public final class PgAdminKeys {
    public static final String PREFIX = "lka_";

    private final Jdbc jdbc;

    public PgAdminKeys(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** One key as listed (never its value). */
    public record AdminKey(UUID id, String name, Instant createdAt, Instant revokedAt) {
    }

    /** Creates a key; returns it in clear, once. */
    public String create(String name, Instant now) {
        String key = PREFIX + RandomTokens.token();
        jdbc.update("INSERT INTO admin_api_keys (id, name, key_hash, created_at) VALUES (?, ?, ?, ?)",
                UUID.randomUUID(), name, Digests.sha256(key), now);
        return key;
    }

    public boolean valid(String presented) {
        if (presented == null || !presented.startsWith(PREFIX) || presented.length() > 100) {
            return false;
        }
        return jdbc.queryOne("SELECT 1 FROM admin_api_keys WHERE key_hash = ? AND revoked_at IS NULL", rs -> 1,
                Digests.sha256(presented)).isPresent();
    }

    public List<AdminKey> list() {
        return jdbc.query("SELECT id, name, created_at, revoked_at FROM admin_api_keys ORDER BY created_at",
                rs -> new AdminKey(Jdbc.uuid(rs, "id"), rs.getString("name"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "revoked_at")));
    }

    public boolean revoke(UUID id, Instant now) {
        return jdbc.update("UPDATE admin_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id) == 1;
    }
}
