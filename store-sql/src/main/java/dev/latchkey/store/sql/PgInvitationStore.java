package dev.latchkey.store.sql;

import dev.latchkey.core.mail.OutgoingMail;
import dev.latchkey.core.org.invite.Invitation;
import dev.latchkey.core.org.invite.InvitationStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Invitations on PostgreSQL. An invitation and its mail (in {@code mail_outbox}) are inserted in one transaction. Acceptance is one conditional UPDATE (pending, unexpired, the invited address, not yet a
 * member) followed by the membership insert in the same transaction; when the UPDATE matches nothing, a read says why.
 */
public final class PgInvitationStore implements InvitationStore {
    private final Jdbc jdbc;
    private final PgMailOutbox outbox;

    public PgInvitationStore(Jdbc jdbc, PgMailOutbox outbox) {
        this.jdbc = java.util.Objects.requireNonNull(jdbc, "jdbc");
        this.outbox = java.util.Objects.requireNonNull(outbox, "outbox");
    }

    @Override
    public boolean create(Invitation i, OutgoingMail mail) {
        try {
            jdbc.inTransaction(c -> {
                Jdbc.update(c, """
                        INSERT INTO invitations (id, org_id, email, roles, token_hash, status, created_at, expires_at)
                        VALUES (?, ?, ?, ?::text[], ?, 'pending', ?, ?)""",
                        i.id(), i.orgId(), i.email(), textArray(i.roles()), i.tokenHash(), i.createdAt(), i.expiresAt());
                outbox.enqueue(c, mail);
                return null;
            });
            return true;
        } catch (StoreException e) {
            if (e.isUniqueViolation()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Invitation> find(UUID orgId, UUID id) {
        return jdbc.queryOne("SELECT * FROM invitations WHERE org_id = ? AND id = ?", PgInvitationStore::map, orgId, id);
    }

    @Override
    public Optional<Invitation> findByHash(byte[] tokenHash) {
        return jdbc.queryOne("SELECT * FROM invitations WHERE token_hash = ?", PgInvitationStore::map, (Object) tokenHash);
    }

    @Override
    public List<Invitation> list(UUID orgId, UUID after, int limit) {
        return jdbc.query("SELECT * FROM invitations WHERE org_id = ? AND id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') "
                + "ORDER BY id LIMIT ?", PgInvitationStore::map, orgId, after, limit);
    }

    @Override
    public boolean revoke(UUID orgId, UUID id, Instant now) {
        return jdbc.update("UPDATE invitations SET status = 'revoked', revoked_at = ? WHERE org_id = ? AND id = ? AND status = 'pending'",
                now, orgId, id) == 1;
    }

    @Override
    public Acceptance accept(byte[] tokenHash, UUID userId, String email, Instant now) {
        String address = email.toLowerCase(Locale.ROOT);
        Optional<Invitation> taken = jdbc.inTransaction(c -> {
            List<Invitation> r = Jdbc.query(c, """
                    UPDATE invitations i SET status = 'accepted', accepted_by = ?, accepted_at = ?
                     WHERE i.token_hash = ? AND i.status = 'pending' AND i.expires_at > ? AND lower(i.email) = ?
                       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = i.org_id AND m.user_id = ?)
                    RETURNING i.*""", PgInvitationStore::map, userId, now, tokenHash, now, address, userId);
            if (r.isEmpty()) {
                return Optional.<Invitation>empty();
            }
            Invitation inv = r.get(0);
            Jdbc.update(c, "INSERT INTO memberships (org_id, user_id, roles, created_at) VALUES (?, ?, ?, ?)",
                    inv.orgId(), userId, c.createArrayOf("text", inv.roles().toArray()), now);
            Revocations.rolesChanged(c, userId, inv.orgId(), inv.roles(), now);
            return Optional.of(inv);
        });
        if (taken.isPresent()) {
            jdbc.revocationsCommitted();
            return new Acceptance.Accepted(taken.get());
        }
        return new Acceptance.Refused(why(tokenHash, userId, address, now));
    }

    private Reason why(byte[] tokenHash, UUID userId, String address, Instant now) {
        Optional<Invitation> found = findByHash(tokenHash);
        if (found.isEmpty()) {
            return Reason.NOT_FOUND;
        }
        Invitation i = found.get();
        return switch (i.statusAt(now)) {
            case ACCEPTED -> Reason.USED;
            case REVOKED -> Reason.REVOKED;
            case EXPIRED -> Reason.EXPIRED;
            case PENDING -> !i.email().toLowerCase(Locale.ROOT).equals(address) ? Reason.WRONG_EMAIL : Reason.ALREADY_MEMBER;
        };
    }

    private static String textArray(List<String> roles) {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < roles.size(); k++) {
            b.append(k == 0 ? "" : ",").append('"').append(roles.get(k).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append('}').toString();
    }

    static Invitation map(ResultSet rs) throws SQLException {
        return new Invitation(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "org_id"), rs.getString("email"), PgClientStore.strings(rs, "roles"),
                rs.getBytes("token_hash"), Invitation.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"), Jdbc.uuid(rs, "accepted_by"), Jdbc.instant(rs, "accepted_at"));
    }
}
