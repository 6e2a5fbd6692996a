package dev.latchkey.store.sql;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Accounts on PostgreSQL. Security-state changes revoke sessions in the same transaction. */
public final class PgUserStore implements UserStore {
    private static final String COLUMNS =
            "id, email, email_verified, name, password_hash, status, security_version, created_at, updated_at";

    /** The channel on which profile changes (not revocations) are announced to every node. */
    public static final String USER_CHANGES_CHANNEL = "latchkey_user_changes";

    private final Jdbc jdbc;
    private volatile java.util.function.Consumer<UUID> changeHook = id -> { };

    public PgUserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Called after a committed profile change (name, verified address), so this node's caches drop
     * the user before the request returns; other nodes learn it from {@link #USER_CHANGES_CHANNEL}.
     */
    public void onUserChanged(java.util.function.Consumer<UUID> hook) {
        this.changeHook = java.util.Objects.requireNonNull(hook, "hook");
    }

    @Override
    public boolean updateName(UUID id, String name, Instant now) {
        return profileChange(id, jdbc.inTransaction(c -> notifyIf(c, id,
                Jdbc.update(c, "UPDATE users SET name = ?, updated_at = ? WHERE id = ?", name, now, id) == 1)));
    }

    @Override
    public boolean markEmailVerified(UUID id, EmailAddress email, Instant now) {
        return profileChange(id, jdbc.inTransaction(c -> notifyIf(c, id, Jdbc.update(c,
                "UPDATE users SET email_verified = true, updated_at = ? WHERE id = ? AND email = ? AND NOT email_verified",
                now, id, email.value()) == 1)));
    }

    @Override
    public EmailChange changeEmail(UUID id, EmailAddress newEmail, int expectedVersion, Instant now) {
        try {
            return announce(jdbc.inTransaction(c -> {
                List<Integer> v = Jdbc.query(c, """
                        UPDATE users SET email = ?, email_verified = true, security_version = security_version + 1, updated_at = ?
                        WHERE id = ? AND security_version = ? AND NOT EXISTS (SELECT 1 FROM users o WHERE o.email = ?)
                        RETURNING security_version""", rs -> rs.getInt(1), newEmail.value(), now, id, expectedVersion, newEmail.value());
                if (v.isEmpty()) {
                    return Jdbc.query(c, "SELECT 1 FROM users WHERE email = ?", rs -> 1, newEmail.value()).isEmpty()
                            ? EmailChange.STALE : EmailChange.TAKEN;
                }
                revokeEverything(c, id, "e-mail changed", now);
                Revocations.userVersion(c, id, v.get(0), now);
                return EmailChange.CHANGED;
            }));
        } catch (StoreException e) {
            if (e.isUniqueViolation()) {
                return EmailChange.TAKEN;
            }
            throw e;
        }
    }

    private static boolean notifyIf(Connection c, UUID id, boolean changed) throws SQLException {
        if (changed) {
            Jdbc.query(c, "SELECT pg_notify(?, ?)", rs -> 1, USER_CHANGES_CHANNEL, id.toString());
        }
        return changed;
    }

    private boolean profileChange(UUID id, boolean changed) {
        if (changed) {
            changeHook.accept(id);
        }
        return changed;
    }

    @Override
    public boolean create(User u) {
        return jdbc.update("""
                INSERT INTO users (id, email, email_verified, name, password_hash, status, security_version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING""",
                u.id(), u.email().value(), u.emailVerified(), u.name(), u.passwordHash(), u.status(),
                u.securityVersion(), u.createdAt(), u.updatedAt()) == 1;
    }

    @Override
    public Optional<User> findByEmail(EmailAddress email) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE email = ?", PgUserStore::map, email.value());
    }

    @Override
    public Optional<User> findById(UUID id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE id = ?", PgUserStore::map, id);
    }

    @Override
    public boolean rehashPassword(UUID id, String expectedHash, String newHash, Instant now) {
        return jdbc.update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ? AND password_hash = ?",
                newHash, now, id, expectedHash) == 1;
    }

    @Override
    public Optional<Integer> changePassword(UUID id, String newHash, Instant now) {
        return announce(jdbc.inTransaction(c -> {
            List<Integer> v = Jdbc.query(c, """
                    UPDATE users SET password_hash = ?, security_version = security_version + 1, updated_at = ?
                    WHERE id = ? RETURNING security_version""", rs -> rs.getInt(1), newHash, now, id);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            revokeEverything(c, id, "password changed", now);
            Revocations.userVersion(c, id, v.get(0), now);
            return Optional.of(v.get(0));
        }));
    }

    @Override
    public Optional<Integer> setStatus(UUID id, UserStatus status, Instant now) {
        return announce(jdbc.inTransaction(c -> {
            boolean disable = status == UserStatus.DISABLED;
            List<Integer> v = Jdbc.query(c, """
                    UPDATE users SET status = ?, updated_at = ?,
                           security_version = security_version + CASE WHEN ? AND status = 'active' THEN 1 ELSE 0 END
                    WHERE id = ? RETURNING security_version""", rs -> rs.getInt(1), status, now, disable, id);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            if (disable) {
                revokeEverything(c, id, "user disabled", now);
                Revocations.userDisabled(c, id, v.get(0), now);
            }
            return Optional.of(v.get(0));
        }));
    }

    @Override
    public boolean delete(UUID id, Instant now) {
        return announce(jdbc.inTransaction(c -> {
            int n = Jdbc.update(c, "DELETE FROM users WHERE id = ?", id);
            if (n == 1) {
                Revocations.userDeleted(c, id, now);
            }
            return n == 1;
        }));
    }

    private <T> T announce(T result) {
        jdbc.revocationsCommitted();
        return result;
    }

    @Override
    public List<User> list(int offset, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM users ORDER BY id OFFSET ? LIMIT ?", PgUserStore::map, offset, limit);
    }

    @Override
    public long count() {
        return jdbc.queryOne("SELECT count(*) FROM users", rs -> rs.getLong(1)).orElse(0L);
    }

    /** Ends every session and refresh family of a user (inside the caller's transaction). */
    static void revokeEverything(Connection c, UUID userId, String reason, Instant now) throws SQLException {
        Jdbc.update(c, "UPDATE refresh_families SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
                now, reason, userId);
        Jdbc.update(c, "UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL",
                now, reason, userId);
    }

    static User map(ResultSet rs) throws SQLException {
        return new User(Jdbc.uuid(rs, "id"), new EmailAddress(rs.getString("email")), rs.getBoolean("email_verified"),
                rs.getString("name"), rs.getString("password_hash"),
                UserStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)), rs.getInt("security_version"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
