package dev.latchkey.store.sql;

import dev.latchkey.core.credential.passkey.PasskeyChallenge;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Passkey ceremony challenges on PostgreSQL. Consuming is one conditional UPDATE; when it matches
 * nothing, a read (which changes nothing, so cannot race) says why.
 */
public final class PgPasskeyChallengeStore implements PasskeyChallengeStore {
    private final Jdbc jdbc;

    public PgPasskeyChallengeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void issue(PasskeyChallenge c) {
        jdbc.update("""
                INSERT INTO passkey_challenges (id, challenge_hash, purpose, user_id, binding_hash, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", c.id(), c.challengeHash(), c.purpose().wireName(), c.userId(), c.bindingHash(),
                c.createdAt(), c.expiresAt());
    }

    @Override
    public Consumption consume(byte[] challengeHash, byte[] bindingHash, PasskeyChallenge.Purpose purpose, Instant now) {
        List<PasskeyChallenge> r = jdbc.query("""
                UPDATE passkey_challenges SET used_at = ?
                WHERE challenge_hash = ? AND binding_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
                RETURNING *""", PgPasskeyChallengeStore::map, now, challengeHash, bindingHash, purpose.wireName(), now);
        if (!r.isEmpty()) {
            return new Consumption.Consumed(r.get(0));
        }
        Reason why = jdbc.queryOne("SELECT purpose, binding_hash, used_at, expires_at FROM passkey_challenges WHERE challenge_hash = ?",
                rs -> {
                    if (!java.security.MessageDigest.isEqual(rs.getBytes("binding_hash"), bindingHash)) {
                        return Reason.OTHER_BROWSER;
                    }
                    if (!rs.getString("purpose").equals(purpose.wireName())) {
                        return Reason.WRONG_PURPOSE;
                    }
                    if (rs.getObject("used_at") != null) {
                        return Reason.USED;
                    }
                    return Reason.EXPIRED;
                }, challengeHash).orElse(Reason.NOT_FOUND);
        return new Consumption.Refused(why);
    }

    @Override
    public int purgeExpired(Instant before) {
        return jdbc.update("DELETE FROM passkey_challenges WHERE expires_at < ?", before);
    }

    static PasskeyChallenge map(ResultSet rs) throws SQLException {
        return new PasskeyChallenge(Jdbc.uuid(rs, "id"), rs.getBytes("challenge_hash"), PasskeyChallenge.Purpose.fromWire(rs.getString("purpose")),
                Jdbc.uuid(rs, "user_id"), rs.getBytes("binding_hash"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"));
    }
}
