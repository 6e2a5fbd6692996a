package dev.latchkey.store.sql;

import dev.latchkey.core.oauth.authorize.AuthorizationCode;
import dev.latchkey.core.oauth.authorize.AuthorizationCodeStore;
import dev.latchkey.core.oauth.authorize.AuthorizationRequestStore;
import dev.latchkey.core.oauth.authorize.ConsentStore;
import dev.latchkey.core.oauth.authorize.PendingAuthorization;
import dev.latchkey.core.oauth.AssertionReplayStore;
import dev.latchkey.core.session.PreparedGrant;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The authorization endpoint's short-lived state on PostgreSQL: pending and pushed requests,
 * codes (redeemed in one transaction together with the grant they create), consents and
 * client-assertion ids.
 */
public final class PgAuthorizationStores implements AuthorizationRequestStore, AuthorizationCodeStore, ConsentStore, AssertionReplayStore {
    private final Jdbc jdbc;

    public PgAuthorizationStores(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    // ---- pending and pushed authorization requests

    @Override
    public void save(byte[] idHash, PendingAuthorization p) {
        jdbc.update("""
                INSERT INTO authorization_requests (id_hash, client_id, redirect_uri, redirect_uri_sent, scope, state, nonce,
                    code_challenge, prompt, max_age, login_hint, pushed, created_at, expires_at, acr_values, organization)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                idHash, p.clientId(), p.redirectUri(), p.redirectUriSent(), p.scope(), p.state(), p.nonce(), p.codeChallenge(), p.prompt(), p.maxAge(),
                p.loginHint(), p.pushed(), p.createdAt(), p.expiresAt(), p.acrValues(), p.organization());
    }

    @Override
    public Optional<PendingAuthorization> find(byte[] idHash, Instant now) {
        return jdbc.queryOne("SELECT * FROM authorization_requests WHERE id_hash = ? AND consumed_at IS NULL AND expires_at > ?",
                PgAuthorizationStores::pending, idHash, now);
    }

    @Override
    public Optional<PendingAuthorization> consume(byte[] idHash, Instant now) {
        return jdbc.queryOne("""
                UPDATE authorization_requests SET consumed_at = ? WHERE id_hash = ? AND consumed_at IS NULL AND expires_at > ?
                RETURNING *""", PgAuthorizationStores::pending, now, idHash, now);
    }

    @Override
    public boolean chooseOrganization(byte[] idHash, UUID orgId, UUID userId, Instant now) {
        return jdbc.update("""
                UPDATE authorization_requests SET chosen_org_id = ?, chosen_by = ?
                 WHERE id_hash = ? AND NOT pushed AND consumed_at IS NULL AND expires_at > ?
                   AND EXISTS (SELECT 1 FROM memberships WHERE org_id = ? AND user_id = ?)""", orgId, userId, idHash, now, orgId, userId) == 1;
    }

    private static PendingAuthorization pending(ResultSet rs) throws SQLException {
        return new PendingAuthorization(rs.getString("client_id"), rs.getString("redirect_uri"), rs.getBoolean("redirect_uri_sent"),
                rs.getString("scope"),
                rs.getString("state"), rs.getString("nonce"), rs.getString("code_challenge"), rs.getString("prompt"),
                Jdbc.integer(rs, "max_age"), rs.getString("login_hint"), rs.getBoolean("pushed"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "expires_at"), rs.getString("acr_values"), rs.getString("organization"), Jdbc.uuid(rs, "chosen_org_id"),
                Jdbc.uuid(rs, "chosen_by"));
    }

    // ---- authorization codes

    @Override
    public boolean save(byte[] codeHash, AuthorizationCode c) {
        // a code for an organization exists only while its user is a member: decided by this one statement
        return jdbc.update("""
                INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, redirect_uri_sent, user_id, browser_session_id, scope,
                    nonce, code_challenge, auth_time, amr, created_at, expires_at, org_id)
                SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid
                 WHERE ?::uuid IS NULL OR EXISTS (SELECT 1 FROM memberships WHERE org_id = ?::uuid AND user_id = ?)""",
                codeHash, c.clientId(), c.redirectUri(), c.redirectUriSent(), c.userId(), c.browserSessionId(), c.scope(), c.nonce(), c.codeChallenge(),
                c.authTime(), c.amr(), c.createdAt(), c.expiresAt(), c.orgId(), c.orgId(), c.orgId(), c.userId()) == 1;
    }

    @Override
    public Redemption redeem(byte[] codeHash, String clientId, String redirectUri, String codeChallenge, Instant now,
                             Function<AuthorizationCode, PreparedGrant> makeGrant) {
        // Build the grant first, outside any transaction: it reads the user and the browser session
        // on connections of its own, which must never happen while this one holds the code's row lock
        // (concurrent presentations of the code would then hold every pooled connection).
        Optional<AuthorizationCode> peek = jdbc.queryOne("""
                SELECT * FROM authorization_codes
                 WHERE code_hash = ? AND redeemed_at IS NULL AND expires_at > ? AND client_id = ?
                   AND (redirect_uri = ? OR (?::text IS NULL AND NOT redirect_uri_sent)) AND code_challenge = ?""",
                PgAuthorizationStores::code, codeHash, now, clientId, redirectUri, redirectUri, codeChallenge);
        PreparedGrant prepared = peek.map(makeGrant).orElse(null);
        Redemption r = prepared == null ? null : jdbc.inTransaction(c -> {
            // the row lock taken here makes a concurrent presentation wait for this transaction's outcome
            List<AuthorizationCode> won = Jdbc.query(c, """
                    UPDATE authorization_codes SET redeemed_at = ?, grant_session_id = ?
                     WHERE code_hash = ? AND redeemed_at IS NULL AND expires_at > ? AND client_id = ?
                       AND (redirect_uri = ? OR (?::text IS NULL AND NOT redirect_uri_sent)) AND code_challenge = ?
                    RETURNING *""", PgAuthorizationStores::code, now, prepared.session().id(), codeHash, now, clientId, redirectUri,
                    redirectUri, codeChallenge);
            if (won.isEmpty()) {
                return null;
            }
            PgSessionStore.insert(c, prepared.session(), null);
            if (prepared.family() != null) {
                PgRefreshFamilyStore.insert(c, prepared.family(), prepared.refreshTokenHash());
            }
            return new Redeemed(won.get(0), prepared);
        });
        if (r != null) {
            return r;
        }
        record Seen(Instant redeemedAt, UUID grantSession, String clientId, Instant expiresAt, boolean redirectUriSent) {
        }
        Optional<Seen> seen = jdbc.queryOne("""
                SELECT redeemed_at, grant_session_id, client_id, expires_at, redirect_uri_sent FROM authorization_codes WHERE code_hash = ?""",
                rs -> new Seen(Jdbc.instant(rs, "redeemed_at"), Jdbc.uuid(rs, "grant_session_id"), rs.getString("client_id"),
                        Jdbc.instant(rs, "expires_at"), rs.getBoolean("redirect_uri_sent")), codeHash);
        if (seen.isEmpty()) {
            return new Refused("unknown code");
        }
        Seen s = seen.get();
        if (s.redeemedAt() != null) {
            if (s.grantSession() != null) {
                jdbc.inTransaction(c -> SessionRevocation.revokeTree(c, s.grantSession(), "authorization code replay", now));
                jdbc.revocationsCommitted();
            }
            return new Replayed(s.grantSession(), s.clientId());
        }
        if (!s.expiresAt().isAfter(now)) {
            return new Refused("expired code");
        }
        return new Refused(!s.clientId().equals(clientId) ? "code of another client"
                : redirectUri == null && s.redirectUriSent() ? "no redirect_uri, but the authorization request had one"
                : "redirect_uri or code_verifier mismatch");
    }

    private static AuthorizationCode code(ResultSet rs) throws SQLException {
        return new AuthorizationCode(rs.getString("client_id"), rs.getString("redirect_uri"), rs.getBoolean("redirect_uri_sent"),
                Jdbc.uuid(rs, "user_id"),
                Jdbc.uuid(rs, "browser_session_id"), rs.getString("scope"), rs.getString("nonce"), rs.getString("code_challenge"),
                Jdbc.instant(rs, "auth_time"), rs.getString("amr"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at"),
                Jdbc.uuid(rs, "org_id"));
    }

    // ---- consents

    @Override
    public Consent granted(UUID userId, String clientId) {
        return jdbc.queryOne("SELECT scopes, granted_at FROM consents WHERE user_id = ? AND client_id = ?",
                rs -> new Consent(Set.copyOf(PgClientStore.strings(rs, "scopes")), Jdbc.instant(rs, "granted_at")), userId, clientId)
                .orElse(null);
    }

    @Override
    public void grant(UUID userId, String clientId, Set<String> scopes, Instant now) {
        jdbc.withConnection(c -> Jdbc.update(c, """
                INSERT INTO consents (user_id, client_id, scopes, granted_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, client_id) DO UPDATE
                   SET scopes = ARRAY(SELECT DISTINCT unnest(consents.scopes || EXCLUDED.scopes)), granted_at = EXCLUDED.granted_at""",
                userId, clientId, c.createArrayOf("text", new LinkedHashSet<>(scopes).toArray()), now));
    }

    // ---- client assertion ids (RFC 7523 §3)

    @Override
    public boolean firstUse(String clientId, String jti, Instant expiresAt) {
        return jdbc.update("INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                clientId, jti, expiresAt) == 1;
    }
}
