package dev.latchkey.store.sql;

import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyOwner;
import dev.latchkey.core.apikey.ApiKeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** API keys in {@code api_keys} (migration V43); a revocation appends to the revocation log in the same transaction. */
public final class PgApiKeyStore implements ApiKeyStore {
    private static final String COLUMNS = "id, public_id, env, owner_kind, owner_id, name, scopes, permissions, org_id, expires_at, "
            + "created_at, last_used_at, revoked_at";
    private final Jdbc jdbc;

    public PgApiKeyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(ApiKey k, byte[] secretMac) {
        jdbc.withConnection(c -> Jdbc.update(c, "INSERT INTO api_keys (id, public_id, env, secret_hmac, owner_kind, owner_id, name, scopes, "
                        + "permissions, org_id, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                k.id(), k.publicId(), k.env(), secretMac, k.owner().kind(), k.owner().id(), k.name(),
                c.createArrayOf("text", k.scopes().toArray()), k.permissions() == null ? null : c.createArrayOf("text", k.permissions().toArray()),
                k.orgId(), k.expiresAt(), k.createdAt()));
    }

    @Override
    public Optional<Stored> findByPublicId(String publicId) {
        return jdbc.queryOne("SELECT " + COLUMNS + ", secret_hmac FROM api_keys WHERE public_id = ?",
                rs -> new Stored(map(rs), rs.getBytes("secret_hmac")), publicId);
    }

    @Override
    public Optional<ApiKey> find(UUID id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?", PgApiKeyStore::map, id);
    }

    @Override
    public List<ApiKey> list(ApiKeyOwner owner) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE owner_kind = ? AND owner_id = ? ORDER BY created_at, id",
                PgApiKeyStore::map, owner.kind(), owner.id());
    }

    @Override
    public Optional<ApiKey> revoke(ApiKeyOwner owner, UUID id, Instant now) {
        Optional<ApiKey> revoked = jdbc.inTransaction(c -> {
            List<ApiKey> rows = Jdbc.query(c, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND owner_kind = ? AND owner_id = ? "
                    + "AND revoked_at IS NULL RETURNING " + COLUMNS, PgApiKeyStore::map, now, id, owner.kind(), owner.id());
            if (rows.isEmpty()) {
                return Optional.<ApiKey>empty();
            }
            // the tokens exchanged for the key carry its id as sid: the feed tells every SDK to drop them
            // (revocations.user_id: the user, or for a service account's key the account's id)
            Revocations.session(c, owner.id(), id, now);
            return Optional.of(rows.get(0));
        });
        if (revoked.isPresent()) {
            jdbc.revocationsCommitted();
        }
        return revoked;
    }

    @Override
    public boolean touch(UUID id, Instant now, Instant before) {
        return jdbc.update("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                now, id, before) == 1;
    }

    static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(Jdbc.uuid(rs, "id"), rs.getString("public_id"), rs.getString("env"),
                ApiKeyOwner.of(rs.getString("owner_kind"), Jdbc.uuid(rs, "owner_id")), rs.getString("name"), PgClientStore.strings(rs, "scopes"),
                rs.getArray("permissions") == null ? null : PgClientStore.strings(rs, "permissions"), Jdbc.uuid(rs, "org_id"),
                Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_used_at"), Jdbc.instant(rs, "revoked_at"));
    }
}
