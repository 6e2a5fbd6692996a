package dev.latchkey.store.sql;

import dev.latchkey.core.credential.recovery.RecoveryCodeStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Recovery-code hashes on PostgreSQL; a redemption is one conditional UPDATE. */
public final class PgRecoveryCodeStore implements RecoveryCodeStore {
    private final Jdbc jdbc;

    public PgRecoveryCodeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void replace(UUID userId, List<byte[]> hashes, Instant now) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM recovery_codes WHERE user_id = ?", userId);
            for (byte[] h : hashes) {
                Jdbc.update(c, "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)", userId, h, now);
            }
            return null;
        });
    }

    @Override
    public boolean redeem(UUID userId, byte[] hash, Instant now) {
        return jdbc.update("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                now, userId, hash) == 1;
    }

    @Override
    public int remaining(UUID userId) {
        return jdbc.queryOne("SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", rs -> rs.getInt("n"), userId)
                .orElse(0);
    }

    @Override
    public void removeAll(UUID userId) {
        jdbc.update("DELETE FROM recovery_codes WHERE user_id = ?", userId);
    }
}
