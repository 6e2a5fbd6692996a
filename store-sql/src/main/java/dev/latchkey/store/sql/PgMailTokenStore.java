package dev.latchkey.store.sql;

import dev.latchkey.core.mail.MailPurpose;
import dev.latchkey.core.mail.MailToken;
import dev.latchkey.core.mail.MailTokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Mailed tokens on PostgreSQL. A redemption is one conditional UPDATE joined with the user's current
 * state; when it matches nothing, a read says why (it changes nothing, so it cannot race).
 */
public final class PgMailTokenStore implements MailTokenStore {
    private static final String USABLE = """
            t.used_at IS NULL AND t.expires_at > ? AND u.id = t.user_id AND u.security_version = t.user_version
              AND u.status = 'active'""";

    private final Jdbc jdbc;

    public PgMailTokenStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(MailToken t) {
        jdbc.update("""
                INSERT INTO mail_tokens (id, token_hash, purpose, user_id, user_version, email, binding_hash, code_hash, payload,
                                         created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                t.id(), t.tokenHash(), t.purpose(), t.userId(), t.userVersion(), t.email(), t.bindingHash(), t.codeHash(), t.payload(),
                t.createdAt(), t.expiresAt());
    }

    @Override
    public Redemption redeem(byte[] tokenHash, MailPurpose purpose, Instant now) {
        List<MailToken> r = jdbc.query("UPDATE mail_tokens t SET used_at = ? FROM users u WHERE t.token_hash = ? AND t.purpose = ? AND "
                + USABLE + " RETURNING t.*", PgMailTokenStore::map, now, tokenHash, purpose, now);
        if (!r.isEmpty()) {
            return new Redemption.Redeemed(r.get(0));
        }
        return new Redemption.Refused(why("t.token_hash = ?", tokenHash, purpose, now, Integer.MAX_VALUE));
    }

    @Override
    public Redemption redeemCode(byte[] bindingHash, byte[] codeHash, MailPurpose purpose, Instant now, int maxAttempts) {
        // every try counts against every live token of this browser; the matching one (if any) is spent in the same statement
        List<Object[]> r = jdbc.query("""
                UPDATE mail_tokens t SET code_attempts = t.code_attempts + 1,
                       used_at = CASE WHEN t.code_hash = ? THEN ?::timestamptz ELSE NULL END
                FROM users u
                WHERE t.binding_hash = ? AND t.purpose = ? AND t.code_hash IS NOT NULL AND t.code_attempts < ? AND""" + " " + USABLE
                        + " RETURNING t.*", rs -> new Object[] {map(rs), rs.getObject("used_at") != null},
                codeHash, now, bindingHash, purpose, maxAttempts, now);
        for (Object[] row : r) {
            if ((Boolean) row[1]) {
                return new Redemption.Redeemed((MailToken) row[0]);
            }
        }
        if (!r.isEmpty()) {
            return new Redemption.Refused(Reason.WRONG_CODE);
        }
        return new Redemption.Refused(why("t.binding_hash = ?", bindingHash, purpose, now, maxAttempts));
    }

    @Override
    public Optional<MailToken> peek(byte[] tokenHash, MailPurpose purpose, Instant now) {
        return jdbc.queryOne("SELECT t.* FROM mail_tokens t, users u WHERE t.token_hash = ? AND t.purpose = ? AND " + USABLE,
                PgMailTokenStore::map, tokenHash, purpose, now);
    }

    @Override
    public int purgeExpired(Instant before) {
        return jdbc.update("DELETE FROM mail_tokens WHERE expires_at < ?", before);
    }

    private Reason why(String match, byte[] key, MailPurpose purpose, Instant now, int maxAttempts) {
        List<Reason> reasons = jdbc.query("""
                SELECT t.purpose, t.used_at, t.expires_at, t.user_version, t.code_attempts, u.security_version, u.status
                FROM mail_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE""" + " " + match, rs -> {
                    if (!rs.getString("purpose").equals(purpose.wireName())) {
                        return Reason.WRONG_PURPOSE;
                    }
                    if (rs.getObject("used_at") != null) {
                        return Reason.USED;
                    }
                    if (!Jdbc.instant(rs, "expires_at").isAfter(now)) {
                        return Reason.EXPIRED;
                    }
                    if (rs.getInt("code_attempts") >= maxAttempts) {
                        return Reason.TOO_MANY_ATTEMPTS;
                    }
                    return Reason.STALE;
                }, key);
        if (reasons.isEmpty()) {
            return Reason.NOT_FOUND;
        }
        // for a browser with several tokens, the most telling reason
        for (Reason r : List.of(Reason.TOO_MANY_ATTEMPTS, Reason.STALE, Reason.EXPIRED, Reason.USED, Reason.WRONG_PURPOSE)) {
            if (reasons.contains(r)) {
                return r;
            }
        }
        return Reason.NOT_FOUND;
    }

    static MailToken map(ResultSet rs) throws SQLException {
        return new MailToken(Jdbc.uuid(rs, "id"), rs.getBytes("token_hash"), MailPurpose.fromWire(rs.getString("purpose")),
                Jdbc.uuid(rs, "user_id"), rs.getInt("user_version"), rs.getString("email"), rs.getBytes("binding_hash"),
                rs.getBytes("code_hash"), rs.getString("payload"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"));
    }
}
