package dev.latchkey.store.sql;

import dev.latchkey.core.identity.ExternalIdentity;
import dev.latchkey.core.identity.IdentityStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** External identities on PostgreSQL: linking is one INSERT … ON CONFLICT DO NOTHING. */
public final class PgIdentityStore implements IdentityStore {
    private final Jdbc jdbc;

    public PgIdentityStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Link link(ExternalIdentity i) {
        try {
            int n = jdbc.update("""
                    INSERT INTO external_identities (provider, subject, user_id, email, linked_at)
                    SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)
                    ON CONFLICT (provider, subject) DO NOTHING""",
                    i.provider(), i.subject(), i.userId(), i.email(), i.linkedAt(), i.userId());
            if (n == 1) {
                return new Link.Linked(i);
            }
        } catch (StoreException e) {
            if (!e.isForeignKeyViolation()) {
                throw e;
            }
            return new Link.NoSuchUser();
        }
        return find(i.provider(), i.subject()).<Link>map(x -> new Link.AlreadyLinked(x.userId())).orElseGet(Link.NoSuchUser::new);
    }

    @Override
    public Optional<ExternalIdentity> find(String provider, String subject) {
        return jdbc.queryOne("SELECT * FROM external_identities WHERE provider = ? AND subject = ?", PgIdentityStore::map, provider, subject);
    }

    @Override
    public List<ExternalIdentity> forUser(UUID userId) {
        return jdbc.query("SELECT * FROM external_identities WHERE user_id = ? ORDER BY linked_at, provider", PgIdentityStore::map, userId);
    }

    @Override
    public boolean unlink(UUID userId, String provider, String subject) {
        return jdbc.update("DELETE FROM external_identities WHERE user_id = ? AND provider = ? AND subject = ?", userId, provider, subject) == 1;
    }

    static ExternalIdentity map(ResultSet rs) throws SQLException {
        return new ExternalIdentity(rs.getString("provider"), rs.getString("subject"), Jdbc.uuid(rs, "user_id"), rs.getString("email"),
                Jdbc.instant(rs, "linked_at"));
    }
}
