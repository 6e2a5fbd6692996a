package dev.latchkey.store.sql;

import dev.latchkey.core.token.RefreshFamily;
import dev.latchkey.core.token.RefreshFamilyStore;
import dev.latchkey.core.token.RefreshTokens;
import dev.latchkey.core.token.Rotation;
import dev.latchkey.core.token.RotationHistory;
import dev.latchkey.core.token.TokenSubject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh-token families on PostgreSQL. A rotation is one conditional {@code UPDATE … RETURNING}:
 * the row lock serialises concurrent presentations of the same token, and each later one re-checks
 * the condition against the committed row (READ COMMITTED), finds the hash replaced, and is then
 * classified by a read of that committed state ({@link RotationHistory#judge}): a grace replay, a
 * stale presentation (refused, nothing written) or a reuse (the family and session are revoked by
 * a second conditional update, which only the first of concurrent reuses wins).
 *
 * <p>The read-then-revoke sequence is race-free because the verdict depends only on when the
 * presented token was replaced, which later rotations never change: a concurrent rotation between
 * the read and the revocation cannot turn a reuse into a legitimate presentation or the reverse.
 *
 * <p>{@code rotated_at} holds the instants of the recent rotations, newest first. Each rotation
 * prepends its own instant and keeps the leading entries that are still inside the grace window
 * (up to the first one that is not), at most {@link RotationHistory#DEPTH} in all; so the position
 * of an entry is always the distance of the token it belongs to.
 */
public final class PgRefreshFamilyStore implements RefreshFamilyStore {
    /** How many of the previous rotation instants a rotation keeps: those still inside the grace window, at most DEPTH − 1. */
    private static final String KEPT = """
            LEAST(%d, COALESCE((SELECT min(i) - 1 FROM unnest(f.rotated_at) WITH ORDINALITY AS r(t, i) WHERE t <= ?),
                               cardinality(f.rotated_at)))::int""".formatted(RotationHistory.DEPTH - 1);

    private static final String ROTATE = """
            UPDATE refresh_families f
               SET generation = f.generation + 1, current_hash = ?,
                   rotated_at = ARRAY[?::timestamptz] || f.rotated_at[1:%s],
                   last_used_at = ?, idle_expires_at = LEAST(?, f.expires_at)
              FROM sessions s, users u
             WHERE f.id = ? AND f.current_hash = ? AND f.client_id = ?
               AND f.revoked_at IS NULL AND f.expires_at > ? AND f.idle_expires_at > ?
               AND s.id = f.session_id AND s.revoked_at IS NULL AND s.absolute_expires_at > ?
               AND u.id = f.user_id AND u.status = 'active' AND u.security_version = f.user_version
            RETURNING f.id, f.session_id, f.user_id, f.client_id, f.scope, f.org_id, f.roles, f.user_version, f.generation, s.auth_time, s.amr, f.expires_at"""
            .formatted(KEPT);

    private static final String CLASSIFY = """
            SELECT f.id, f.session_id, f.user_id, f.client_id, f.scope, f.org_id, f.roles, f.user_version, f.generation, s.auth_time, s.amr,
                   f.current_hash, f.rotated_at, f.expires_at, f.idle_expires_at,
                   (f.revoked_at IS NOT NULL OR s.revoked_at IS NOT NULL) AS revoked, s.absolute_expires_at,
                   (u.status <> 'active' OR u.security_version <> f.user_version) AS user_changed
              FROM refresh_families f JOIN sessions s ON s.id = f.session_id JOIN users u ON u.id = f.user_id
             WHERE f.id = ?""";

    private final Jdbc jdbc;

    public PgRefreshFamilyStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void create(RefreshFamily f, byte[] tokenHash) {
        jdbc.withConnection(c -> {
            insert(c, f, tokenHash);
            return null;
        });
    }

    static void insert(Connection c, RefreshFamily f, byte[] tokenHash) throws SQLException {
        Jdbc.update(c, """
                INSERT INTO refresh_families (id, session_id, user_id, client_id, scope, org_id, roles, user_version, current_hash,
                                              created_at, last_used_at, idle_expires_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                f.id(), f.sessionId(), f.userId(), f.clientId(), f.scope(), f.orgId(), c.createArrayOf("text", f.roles().toArray()),
                f.userVersion(), tokenHash, f.createdAt(), f.createdAt(), f.idleExpiresAt(), f.expiresAt());
    }

    @Override
    public Rotation rotate(UUID familyId, String clientId, RefreshTokens.Lineage presented, Instant at, Duration grace, Duration idle) {
        Instant now = Jdbc.micros(at);
        Optional<TokenSubject> rotated = jdbc.queryOne(ROTATE, PgRefreshFamilyStore::subject,
                presented.successor().hash(), now, now.minus(grace), now, now.plus(idle),
                familyId, presented.presented().hash(), clientId, now, now, now);
        if (rotated.isPresent()) {
            return new Rotation.Rotated(rotated.get());
        }
        return classify(familyId, clientId, presented, now, grace);
    }

    private record State(TokenSubject subject, RotationHistory history, Instant expiresAt,
                         Instant idleExpiresAt, boolean revoked, Instant sessionExpiresAt, boolean userChanged) {
    }

    private Rotation classify(UUID familyId, String clientId, RefreshTokens.Lineage presented, Instant now, Duration grace) {
        Optional<State> found = jdbc.queryOne(CLASSIFY, rs -> new State(subject(rs),
                new RotationHistory(rs.getBytes("current_hash"), rs.getLong("generation"), instants(rs, "rotated_at")),
                Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "idle_expires_at"), rs.getBoolean("revoked"),
                Jdbc.instant(rs, "absolute_expires_at"), rs.getBoolean("user_changed")), familyId);
        if (found.isEmpty()) {
            return new Rotation.Invalid(Rotation.Reason.NOT_FOUND);
        }
        State s = found.get();
        if (!s.subject().clientId().equals(clientId)) {
            return new Rotation.Invalid(Rotation.Reason.WRONG_CLIENT);
        }
        if (s.revoked()) {
            return new Rotation.Invalid(Rotation.Reason.REVOKED);
        }
        if (s.userChanged()) {
            return new Rotation.Invalid(Rotation.Reason.USER_CHANGED);
        }
        if (!s.expiresAt().isAfter(now) || !s.idleExpiresAt().isAfter(now) || !s.sessionExpiresAt().isAfter(now)) {
            return new Rotation.Invalid(Rotation.Reason.EXPIRED);
        }
        RotationHistory.Judgement j = s.history().judge(presented, now, grace);
        return switch (j.verdict()) {
            // the current token, refused for a reason that changed between the update and this read
            case CURRENT -> new Rotation.Invalid(Rotation.Reason.REVOKED);
            case PREVIOUS -> new Rotation.GraceReplay(s.subject());
            case STALE -> new Rotation.Stale(s.subject(), j.behind());
            case FOREIGN -> new Rotation.Invalid(Rotation.Reason.NOT_IN_FAMILY);
            case REUSE -> revokeForReuse(familyId, now);
        };
    }

    private static List<Instant> instants(ResultSet rs, String column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        try {
            Object[] values = (Object[]) a.getArray();
            List<Instant> out = new ArrayList<>(values.length);
            for (Object v : values) {
                out.add(((Timestamp) v).toInstant());
            }
            return out;
        } finally {
            a.free();
        }
    }

    private Rotation revokeForReuse(UUID familyId, Instant now) {
        Rotation outcome = jdbc.inTransaction(c -> {
            List<Rotation.Reuse> r = Jdbc.query(c, """
                    UPDATE refresh_families SET revoked_at = ?, revoke_reason = 'refresh token reuse'
                    WHERE id = ? AND revoked_at IS NULL RETURNING id, session_id, user_id, client_id""",
                    rs -> new Rotation.Reuse(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "session_id"), Jdbc.uuid(rs, "user_id"),
                            rs.getString("client_id")), now, familyId);
            if (r.isEmpty()) {
                return new Rotation.Invalid(Rotation.Reason.REVOKED);   // another presentation revoked it first
            }
            Rotation.Reuse reuse = r.get(0);
            endSession(c, reuse.sessionId(), reuse.userId(), "refresh token reuse", now);
            return reuse;
        });
        if (outcome instanceof Rotation.Reuse) {
            jdbc.revocationsCommitted();
        }
        return outcome;
    }

    @Override
    public Optional<TokenSubject> findActive(UUID familyId, byte[] hash, Instant now) {
        return jdbc.queryOne("""
                SELECT f.id, f.session_id, f.user_id, f.client_id, f.scope, f.org_id, f.roles, f.user_version, f.generation, s.auth_time, s.amr,
                       f.expires_at
                  FROM refresh_families f JOIN sessions s ON s.id = f.session_id JOIN users u ON u.id = f.user_id
                 WHERE f.id = ? AND f.current_hash = ? AND f.revoked_at IS NULL AND f.expires_at > ? AND f.idle_expires_at > ?
                   AND s.revoked_at IS NULL AND u.status = 'active' AND u.security_version = f.user_version""",
                PgRefreshFamilyStore::subject, familyId, hash, now, now);
    }

    @Override
    public boolean chooseOrganization(UUID familyId, UUID orgId) {
        return jdbc.update("""
                UPDATE refresh_families f SET org_id = ?
                 WHERE f.id = ? AND f.revoked_at IS NULL
                   AND EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = ? AND m.user_id = f.user_id)""", orgId, familyId, orgId) == 1;
    }

    @Override
    public boolean revoke(UUID familyId, String clientId, RefreshTokens.Lineage presented, boolean withSession, String reason, Instant now) {
        byte[][] hashes = new byte[RotationHistory.DEPTH + 1][];
        for (int k = 0; k <= RotationHistory.DEPTH; k++) {
            hashes[k] = presented.hash(k);
        }
        boolean done = jdbc.inTransaction(c -> {
            // the presented token or one of its descendants is the current one: whoever presents it held the family's secret
            List<UUID[]> r = Jdbc.query(c, """
                    UPDATE refresh_families SET revoked_at = ?, revoke_reason = ?
                    WHERE id = ? AND client_id = ? AND revoked_at IS NULL AND current_hash = ANY(?)
                    RETURNING session_id, user_id""",
                    rs -> new UUID[] {Jdbc.uuid(rs, "session_id"), Jdbc.uuid(rs, "user_id")}, now, reason, familyId, clientId,
                    c.createArrayOf("bytea", hashes));
            if (r.isEmpty()) {
                return false;
            }
            if (withSession) {
                endSession(c, r.get(0)[0], r.get(0)[1], reason, now);
            }
            return true;
        });
        if (done && withSession) {
            jdbc.revocationsCommitted();
        }
        return done;
    }

    private static void endSession(Connection c, UUID sessionId, UUID userId, String reason, Instant now) throws SQLException {
        SessionRevocation.revokeTree(c, sessionId, reason, now);
    }

    private static TokenSubject subject(ResultSet rs) throws SQLException {
        return new TokenSubject(Jdbc.uuid(rs, "id"), Jdbc.uuid(rs, "session_id"), Jdbc.uuid(rs, "user_id"),
                rs.getString("client_id"), rs.getString("scope"), Jdbc.uuid(rs, "org_id"), PgClientStore.strings(rs, "roles"),
                rs.getInt("user_version"), rs.getLong("generation"),
                Jdbc.instant(rs, "auth_time"), rs.getString("amr"), Jdbc.instant(rs, "expires_at"));
    }
}
