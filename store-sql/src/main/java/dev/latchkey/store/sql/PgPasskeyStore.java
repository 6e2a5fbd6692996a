package dev.latchkey.store.sql;

import dev.latchkey.core.credential.passkey.PasskeyCredential;
import dev.latchkey.core.credential.passkey.PasskeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Passkeys on PostgreSQL. A use is one conditional UPDATE on the counter (WebAuthn §6.1.1). */
public final class PgPasskeyStore implements PasskeyStore {
    private final Jdbc jdbc;

    public PgPasskeyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean create(PasskeyCredential c) {
        return jdbc.update("""
                INSERT INTO passkeys (id, user_id, credential_id, attested_credential_data, sign_count, uv_initialized, backup_eligible,
                                      backup_state, transports, name, created_at, last_used_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (credential_id) DO NOTHING""",
                c.id(), c.userId(), c.credentialId(), c.attestedCredentialData(), c.signCount(), c.uvInitialized(), c.backupEligible(),
                c.backupState(), String.join(",", c.transports()), c.name(), c.createdAt(), c.lastUsedAt()) == 1;
    }

    @Override
    public List<PasskeyCredential> forUser(UUID userId) {
        return jdbc.query("SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, id", PgPasskeyStore::map, userId);
    }

    @Override
    public Optional<PasskeyCredential> findByCredentialId(byte[] credentialId) {
        return jdbc.queryOne("SELECT * FROM passkeys WHERE credential_id = ?", PgPasskeyStore::map, credentialId);
    }

    @Override
    public boolean any(UUID userId) {
        return jdbc.queryOne("SELECT 1 FROM passkeys WHERE user_id = ? LIMIT 1", rs -> true, userId).isPresent();
    }

    @Override
    public boolean recordUse(UUID id, long signCount, boolean backupState, boolean uvInitialized, Instant now) {
        return jdbc.update("""
                UPDATE passkeys SET sign_count = ?, backup_state = ?, uv_initialized = ?, last_used_at = ?
                WHERE id = ? AND (sign_count < ? OR (sign_count = 0 AND ? = 0))""",
                signCount, backupState, uvInitialized, now, id, signCount, signCount) == 1;
    }

    @Override
    public boolean rename(UUID userId, UUID id, String name) {
        return jdbc.update("UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?", name, id, userId) == 1;
    }

    @Override
    public boolean delete(UUID userId, UUID id) {
        return jdbc.update("DELETE FROM passkeys WHERE id = ? AND user_id = ?", id, userId) == 1;
    }

    static PasskeyCredential map(ResultSet rs) throws SQLException {
        String t = rs.getString("transports");
        return new PasskeyCredential(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "user_id"), rs.getBytes("credential_id"),
                rs.getBytes("attested_credential_data"), rs.getLong("sign_count"), rs.getBoolean("uv_initialized"),
                rs.getBoolean("backup_eligible"), rs.getBoolean("backup_state"), t == null || t.isEmpty() ? List.of() : Arrays.asList(t.split(",")),
                rs.getString("name"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_used_at"));
    }
}
