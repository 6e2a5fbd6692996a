package dev.latchkey.store.sql;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.Membership;
import dev.latchkey.core.org.OrgCustomClaims;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.Organization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Organizations and memberships on PostgreSQL. */
public final class PgOrgStore implements OrgStore {
    private final Jdbc jdbc;

    public PgOrgStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(Organization org) {
        int n = jdbc.update("INSERT INTO organizations (id, name, slug, claims, created_at) VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (slug) DO NOTHING",
                org.id(), org.name(), org.slug(), org.claims().toJson(), org.createdAt());
        if (n == 0) {
            throw slugTaken(org.slug());
        }
    }

    @Override
    public Optional<Organization> findBySlug(String slug) {
        return jdbc.queryOne("SELECT * FROM organizations WHERE slug = ?", PgOrgStore::org, slug);
    }

    @Override
    public Optional<Organization> update(UUID id, String name, String slug, OrgCustomClaims claims) {
        try {
            return jdbc.queryOne("UPDATE organizations SET name = coalesce(?, name), slug = coalesce(?, slug), claims = coalesce(?::jsonb, claims) "
                    + "WHERE id = ? RETURNING *", PgOrgStore::org, name, slug, claims == null ? null : claims.toJson(), id);
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw slugTaken(slug);
            }
            throw e;
        }
    }

    @Override
    public Optional<Organization> memberOrganization(UUID userId, String idOrSlug) {
        UUID id = parseId(idOrSlug);
        return id != null
                ? jdbc.queryOne("SELECT o.* FROM organizations o JOIN memberships m ON m.org_id = o.id AND m.user_id = ? WHERE o.id = ?",
                        PgOrgStore::org, userId, id)
                : jdbc.queryOne("SELECT o.* FROM organizations o JOIN memberships m ON m.org_id = o.id AND m.user_id = ? WHERE o.slug = ?",
                        PgOrgStore::org, userId, idOrSlug);
    }

    private static UUID parseId(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static LatchkeyException slugTaken(String slug) {
        return LatchkeyException.withMessage(ErrorCode.SLUG_TAKEN, "Another organization already has the slug \"" + slug + "\".", "slug taken");
    }

    @Override
    public Optional<Organization> find(UUID id) {
        return jdbc.queryOne("SELECT * FROM organizations WHERE id = ?", PgOrgStore::org, id);
    }

    @Override
    public List<Organization> list() {
        return jdbc.query("SELECT * FROM organizations ORDER BY created_at", PgOrgStore::org);
    }

    @Override
    public List<Organization> list(UUID after, int limit) {
        return jdbc.query("SELECT * FROM organizations WHERE id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') "
                + "ORDER BY id LIMIT ?", PgOrgStore::org, after, limit);
    }

    @Override
    public boolean delete(UUID id, Instant now) {
        boolean done = jdbc.inTransaction(c -> {
            List<UUID> members = Jdbc.query(c, "SELECT user_id FROM memberships WHERE org_id = ?", rs -> Jdbc.uuid(rs, "user_id"), id);
            // its service accounts go with it (and their keys and clients): announced like deleting each one, so
            // verifiers refuse their tokens at once, in the transaction that deletes them
            List<UUID> accounts = Jdbc.query(c, "SELECT id FROM service_accounts WHERE org_id = ? FOR UPDATE", rs -> Jdbc.uuid(rs, "id"), id);
            int n = Jdbc.update(c, "DELETE FROM organizations WHERE id = ?", id);
            for (UUID u : members) {
                bumpVersion(c, u, "organization deleted", now);
            }
            if (n == 1) {
                for (UUID a : accounts) {
                    Jdbc.update(c, "INSERT INTO revocations (at, kind, user_id, org_id) VALUES (?, 'service_account_disabled', ?, ?)", now, a, id);
                }
            }
            return n == 1;
        });
        jdbc.revocationsCommitted();
        return done;
    }

    @Override
    public void setMembership(UUID orgId, UUID userId, List<String> roles, Instant now) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, """
                    INSERT INTO memberships (org_id, user_id, roles, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (org_id, user_id) DO UPDATE SET roles = EXCLUDED.roles""",
                    orgId, userId, c.createArrayOf("text", roles.toArray()), now);
            Revocations.rolesChanged(c, userId, orgId, roles, now);
            return null;
        });
        jdbc.revocationsCommitted();
    }

    @Override
    public boolean changeRoles(UUID orgId, UUID userId, List<String> roles, Instant now) {
        boolean done = jdbc.inTransaction(c -> {
            int n = Jdbc.update(c, "UPDATE memberships SET roles = ? WHERE org_id = ? AND user_id = ?",
                    c.createArrayOf("text", roles.toArray()), orgId, userId);
            if (n == 1) {
                Revocations.rolesChanged(c, userId, orgId, roles, now);
            }
            return n == 1;
        });
        if (done) {
            jdbc.revocationsCommitted();
        }
        return done;
    }

    @Override
    public boolean removeMembership(UUID orgId, UUID userId, Instant now) {
        boolean done = jdbc.inTransaction(c -> {
            int n = Jdbc.update(c, "DELETE FROM memberships WHERE org_id = ? AND user_id = ?", orgId, userId);
            if (n == 1) {
                bumpVersion(c, userId, "membership removed", now);
            }
            return n == 1;
        });
        if (done) {
            jdbc.revocationsCommitted();
        }
        return done;
    }

    @Override
    public List<Membership> members(UUID orgId) {
        return jdbc.query("SELECT * FROM memberships WHERE org_id = ? ORDER BY created_at", PgOrgStore::membership, orgId);
    }

    @Override
    public List<Membership> members(UUID orgId, UUID after, int limit) {
        return jdbc.query("SELECT * FROM memberships WHERE org_id = ? AND user_id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') "
                + "ORDER BY user_id LIMIT ?", PgOrgStore::membership, orgId, after, limit);
    }

    @Override
    public List<MemberOf> organizationsOf(UUID userId) {
        return jdbc.query("""
                SELECT o.*, m.roles FROM memberships m JOIN organizations o ON o.id = m.org_id
                 WHERE m.user_id = ? ORDER BY m.created_at, m.org_id""",
                rs -> new MemberOf(org(rs), PgClientStore.strings(rs, "roles")), userId);
    }

    @Override
    public Optional<MemberOf> memberOf(UUID orgId, UUID userId) {
        return jdbc.queryOne("SELECT o.*, m.roles FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.org_id = ? AND m.user_id = ?",
                rs -> new MemberOf(org(rs), PgClientStore.strings(rs, "roles")), orgId, userId);
    }

    @Override
    public Optional<Membership> membership(UUID orgId, UUID userId) {
        return jdbc.queryOne("SELECT * FROM memberships WHERE org_id = ? AND user_id = ?", PgOrgStore::membership, orgId, userId);
    }

    @Override
    public Optional<Membership> primary(UUID userId) {
        return jdbc.queryOne("SELECT * FROM memberships WHERE user_id = ? ORDER BY created_at, org_id LIMIT 1", PgOrgStore::membership, userId);
    }

    /** Removal from an organization (or its deletion) ends the user's sessions, so no token keeps its access. */
    private static void bumpVersion(Connection c, UUID userId, String reason, Instant now) throws SQLException {
        List<Integer> v = Jdbc.query(c, "UPDATE users SET security_version = security_version + 1, updated_at = ? WHERE id = ? RETURNING security_version",
                rs -> rs.getInt(1), now, userId);
        if (!v.isEmpty()) {
            PgUserStore.revokeEverything(c, userId, reason, now);
            Revocations.userVersion(c, userId, v.get(0), now);
        }
    }

    static Organization org(ResultSet rs) throws SQLException {
        return new Organization(Jdbc.uuid(rs, "id"), rs.getString("name"), rs.getString("slug"), claims(rs.getString("claims")),
                Jdbc.instant(rs, "created_at"));
    }

    static OrgCustomClaims claims(String json) {
        if (json == null || json.equals("{}")) {
            return OrgCustomClaims.NONE;
        }
        try {
            return new OrgCustomClaims(com.nimbusds.jose.util.JSONObjectUtils.parse(json));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("organizations.claims is not a JSON object", e);
        }
    }

    static Membership membership(ResultSet rs) throws SQLException {
        return new Membership(Jdbc.uuid(rs, "org_id"), Jdbc.uuid(rs, "user_id"), PgClientStore.strings(rs, "roles"), Jdbc.instant(rs, "created_at"));
    }
}
