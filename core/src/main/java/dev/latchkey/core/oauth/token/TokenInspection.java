package dev.latchkey.core.oauth.token;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.session.LiveSessions;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionStore;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.RefreshFamilyStore;
import dev.latchkey.core.token.RefreshTokens;
import dev.latchkey.core.token.TokenPrincipal;
import dev.latchkey.core.token.TokenSubject;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * What an access or refresh token is worth right now: introspection (RFC 7662), revocation
 * (RFC 7009) and the bearer check behind userinfo. An access token is active only while its
 * session is alive and its user unchanged, so revocation, disabling and password changes show at once.
 */
public final class TokenInspection {
    private final AccessTokenVerifier verifier;
    private final LiveSessions liveSessions;
    private final SessionStore sessions;
    private final RefreshTokens refreshTokens;
    private final RefreshFamilyStore families;
    private final Function<UUID, Optional<User>> users;
    private final Clock clock;
    private final String issuer;
    private final java.util.function.Predicate<UUID> liveServiceAccount;
    private final java.util.function.Predicate<AccessTokenVerifier.Claims> liveApiKeyToken;

    public TokenInspection(AccessTokenVerifier verifier, LiveSessions liveSessions, SessionStore sessions, RefreshTokens refreshTokens,
                           RefreshFamilyStore families, Function<UUID, Optional<User>> users, Clock clock, String issuer) {
        this(verifier, liveSessions, sessions, refreshTokens, families, users, clock, issuer, id -> false, c -> false);
    }

    /**
     * @param liveServiceAccount whether a service account exists and is enabled now (its tokens are active only then)
     * @param liveApiKeyToken    whether a user token whose {@code sid} is not a session is one exchanged for an API key
     *                           that is still usable, of an owner who is active at the token's security version
     */
    public TokenInspection(AccessTokenVerifier verifier, LiveSessions liveSessions, SessionStore sessions, RefreshTokens refreshTokens,
                           RefreshFamilyStore families, Function<UUID, Optional<User>> users, Clock clock, String issuer,
                           java.util.function.Predicate<UUID> liveServiceAccount,
                           java.util.function.Predicate<AccessTokenVerifier.Claims> liveApiKeyToken) {
        this.liveApiKeyToken = Objects.requireNonNull(liveApiKeyToken, "liveApiKeyToken");
        this.liveServiceAccount = Objects.requireNonNull(liveServiceAccount, "liveServiceAccount");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.liveSessions = Objects.requireNonNull(liveSessions, "liveSessions");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.families = Objects.requireNonNull(families, "families");
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** A verified access token whose session (if any) is alive. */
    public record ActiveAccess(AccessTokenVerifier.Claims claims, Session session) {
    }

    /** The access token's claims if it is valid and active now. */
    public Optional<ActiveAccess> activeAccessToken(String token) {
        Optional<AccessTokenVerifier.Claims> c = verifier.tryVerify(token);
        if (c.isEmpty()) {
            return Optional.empty();
        }
        AccessTokenVerifier.Claims claims = c.get();
        if (claims.kind() == TokenPrincipal.Kind.CLIENT) {
            // client credentials: no user, nothing to revoke but the expiry
            return claims.subject().equals(claims.clientId()) ? Optional.of(new ActiveAccess(claims, null)) : Optional.empty();
        }
        if (claims.kind() == TokenPrincipal.Kind.SERVICE_ACCOUNT) {
            // a service account's token is active while the account exists and is enabled
            UUID account;
            try {
                account = UUID.fromString(claims.subject().substring(TokenPrincipal.ServiceAccount.PREFIX.length()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            // one exchanged for the account's API key (sid: the key's id) also needs the key still usable
            boolean live = liveServiceAccount.test(account) && (claims.sessionId() == null || liveApiKeyToken.test(claims));
            return live ? Optional.of(new ActiveAccess(claims, null)) : Optional.empty();
        }
        UUID sid;
        try {
            sid = UUID.fromString(claims.sessionId());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<ActiveAccess> bySession = liveSessions.active(sid)
                .filter(s -> s.userId().toString().equals(claims.subject()))
                .filter(s -> claims.securityVersion() == null || claims.securityVersion() == s.userVersion())
                .map(s -> new ActiveAccess(claims, s));
        if (bySession.isPresent()) {
            return bySession;
        }
        // a token exchanged for an API key (RFC 8693): its sid is the key's id, and it is alive while the key is
        return liveApiKeyToken.test(claims) ? Optional.of(new ActiveAccess(claims, null)) : Optional.empty();
    }

    /**
     * Introspects a token for an authenticated {@code client} (RFC 7662 §2). An access token is
     * described to any confidential client (resource servers are its audience); a refresh token is
     * meant for its client alone (RFC 6749 §1.5), so for any other client it is inactive (§2.2:
     * "the authorization server MAY respond differently to different protected resources").
     */
    public Introspection introspect(Client client, String token, String hint) {
        Objects.requireNonNull(client, "client");
        if (token == null || token.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The token parameter is missing.", "introspect without token");
        }
        boolean refreshFirst = "refresh_token".equals(hint);
        Optional<Introspection> first = refreshFirst ? refresh(client, token) : access(token);
        if (first.isPresent()) {
            return first.get();
        }
        return (refreshFirst ? access(token) : refresh(client, token)).orElse(Introspection.INACTIVE);
    }

    private Optional<Introspection> access(String token) {
        return activeAccessToken(token).map(a -> {
            AccessTokenVerifier.Claims c = a.claims();
            String username = a.session() != null ? users.apply(a.session().userId()).map(u -> u.email().value()).orElse(null)
                    : c.kind() == TokenPrincipal.Kind.USER ? users.apply(UUID.fromString(c.subject())).map(u -> u.email().value()).orElse(null)
                    : null;
            return new Introspection(true, "Bearer", c.scope(), c.clientId(), c.subject(), username, c.expiresAt(), c.issuedAt(),
                    c.audience(), issuer, c.jti(), c.sessionId(), c.kind(), c.org(), c.roles(), c.permissions(), c.orgClaims());
        });
    }

    private Optional<Introspection> refresh(Client client, String token) {
        Optional<RefreshTokens.Token> t = refreshTokens.parse(token);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<TokenSubject> s = families.findActive(t.get().familyId(), t.get().hash(), now)
                .filter(f -> f.clientId().equals(client.clientId()));
        return s.map(f -> new Introspection(true, "refresh_token", f.scope(), f.clientId(), f.userId().toString(), null,
                f.expiresAt(), null, null, issuer, null, f.sessionId().toString(), TokenPrincipal.Kind.USER, null, null, null, null));
    }

    /**
     * Revokes a token the client holds (RFC 7009 §2.1). A refresh token ends its family and the
     * grant's session, and with it the access tokens of that session; an access token ends its session.
     * Tokens of other clients and unknown tokens are ignored, as the RFC asks (the answer is 200 either way).
     */
    public void revoke(Client client, String token, String hint, RequestContext ctx) {
        if (token == null || token.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The token parameter is missing.", "revoke without token");
        }
        if (hint != null && !hint.equals("refresh_token") && !hint.equals("access_token")) {
            throw LatchkeyException.withMessage(ErrorCode.UNSUPPORTED_TOKEN_TYPE, "token_type_hint must be access_token or refresh_token.",
                    "hint " + hint);
        }
        Instant now = clock.instant();
        Optional<RefreshTokens.Token> refresh = refreshTokens.parse(token);
        if (refresh.isPresent()) {
            // the whole token is checked, not just the family id it carries (anyone may learn that one)
            families.revoke(refresh.get().familyId(), client.clientId(), refreshTokens.lineage(refresh.get()), true, "revoked by client", now);
            return;
        }
        verifier.tryVerify(token).ifPresent(c -> {
            if (client.clientId().equals(c.clientId()) && c.kind() == TokenPrincipal.Kind.USER) {
                try {
                    UUID sid = UUID.fromString(c.sessionId());
                    sessions.revoke(UUID.fromString(c.subject()), sid, "access token revoked by client", now);
                } catch (IllegalArgumentException ignored) {
                    // not one of ours
                }
            }
        });
    }
}
