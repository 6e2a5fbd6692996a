package dev.latchkey.core.session;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.org.Membership;
import dev.latchkey.core.token.RefreshFamily;
import dev.latchkey.core.token.RefreshFamilyStore;
import dev.latchkey.core.token.RefreshTokens;
import dev.latchkey.core.token.Rotation;
import dev.latchkey.core.token.TokenSubject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions and their refresh-token families: starting them at sign-in, rotating refresh tokens
 * (with the grace window and reuse detection the store decides atomically), listing and ending them.
 */
public final class SessionService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final SessionStore sessions;
    private final RefreshFamilyStore families;
    private final RefreshTokens refreshTokens;
    private final AuditSink audit;
    private final Clock clock;
    private final SessionPolicy policy;
    private final Function<UUID, Optional<Membership>> memberships;

    public SessionService(SessionStore sessions, RefreshFamilyStore families, RefreshTokens refreshTokens,
                          AuditSink audit, Clock clock, SessionPolicy policy) {
        this(sessions, families, refreshTokens, audit, clock, policy, u -> Optional.empty());
    }

    /** @param memberships the membership whose organization and roles go into a user's tokens */
    public SessionService(SessionStore sessions, RefreshFamilyStore families, RefreshTokens refreshTokens,
                          AuditSink audit, Clock clock, SessionPolicy policy, Function<UUID, Optional<Membership>> memberships) {
        this.memberships = Objects.requireNonNull(memberships, "memberships");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.families = Objects.requireNonNull(families, "families");
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public SessionPolicy policy() {
        return policy;
    }

    /** A browser session cookie and the session it names. */
    public record BrowserSession(Session session, String cookieValue) {
        @Override
        public String toString() {
            return "BrowserSession[" + session.id() + "]";
        }
    }

    /** Starts a hosted-login SSO session: always a fresh id (no fixation), returned once as the cookie value. */
    public BrowserSession startBrowserSession(User user, String amr, RequestContext ctx) {
        Instant now = clock.instant();
        String cookie = RandomTokens.token();
        Session s = newSession(user, SessionKind.BROWSER, amr, null, now, policy.browserIdle(), policy.browserAbsolute(), ctx);
        sessions.create(s, Digests.sha256(cookie));
        return new BrowserSession(s, cookie);
    }

    /** The live browser session named by a cookie, its idle expiry moved forward; empty when none. */
    public Optional<Session> browserSession(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Session> s = sessions.findActiveByCookie(Digests.sha256(cookieValue), now);
        s.ifPresent(session -> touchIfStale(session, now, policy.browserIdle()));
        return s;
    }

    /**
     * Starts a session that holds a refresh-token family: a first-party API sign-in
     * ({@code clientId} null), or an OAuth grant, whose session is a child of the browser session
     * {@code parent} it came from (so signing out of the browser ends it, and revoking this grant
     * leaves the browser session and other grants alone). {@code withRefreshToken} false gives a
     * session without a family (a grant without refresh tokens).
     */
    public TokenGrant startTokenSession(User user, String clientId, String scope, String amr, Session parent, RequestContext ctx) {
        return startTokenSession(user, clientId, scope, amr, parent, true, ctx);
    }

    public TokenGrant startTokenSession(User user, String clientId, String scope, String amr, Session parent,
                                        boolean withRefreshToken, RequestContext ctx) {
        PreparedGrant g = prepareTokenSession(user, clientId, scope, amr, parent, withRefreshToken, ctx);
        sessions.create(g.session(), null);
        if (g.family() != null) {
            families.create(g.family(), g.refreshTokenHash());
        }
        return g.toGrant();
    }

    /** Builds a token session without storing it (see {@link PreparedGrant}). */
    public PreparedGrant prepareTokenSession(User user, String clientId, String scope, String amr, Session parent,
                                             boolean withRefreshToken, RequestContext ctx) {
        return prepareTokenSession(user, clientId, scope, amr, parent, withRefreshToken, null, ctx);
    }

    /**
     * The same, for organization {@code chosenOrg} (the authorization request named it or the user chose it; its
     * tokens carry the user's current access there, read at every mint). Null: the user's oldest membership.
     */
    public PreparedGrant prepareTokenSession(User user, String clientId, String scope, String amr, Session parent,
                                             boolean withRefreshToken, UUID chosenOrg, RequestContext ctx) {
        Instant now = clock.instant();
        Instant authTime = parent == null ? now : parent.authTime();
        String sessionAmr = parent == null ? amr : parent.amr();
        // the idle timeout of a token session lives on its refresh family, which every refresh moves forward
        Instant abs = now.plus(policy.apiAbsolute());
        Session s = new Session(UuidV7.next(clock), user.id(), clientId == null ? SessionKind.API : SessionKind.OAUTH,
                user.securityVersion(), authTime, sessionAmr, now, now, abs, abs, null, clientId, ctx.userAgent(), ctx.ip(),
                parent == null ? null : parent.id());
        String cid = clientId == null ? FIRST_PARTY : clientId;
        Optional<Membership> m = chosenOrg != null ? Optional.empty() : memberships.apply(user.id());
        UUID org = chosenOrg != null ? chosenOrg : m.map(Membership::orgId).orElse(null);
        List<String> roles = m.map(Membership::roles).orElse(List.of());
        if (!withRefreshToken) {
            TokenSubject subject = new TokenSubject(null, s.id(), user.id(), cid, scope, org, roles, user.securityVersion(), 0, authTime, sessionAmr, abs);
            return new PreparedGrant(s, null, null, null, subject);
        }
        UUID familyId = UUID.randomUUID();
        Instant idle = minInstant(now.plus(policy.apiIdle()), abs);
        RefreshTokens.Token token = refreshTokens.first(familyId);
        RefreshFamily family = new RefreshFamily(familyId, s.id(), user.id(), cid, scope, org, roles, user.securityVersion(), now, idle, abs);
        TokenSubject subject = new TokenSubject(familyId, s.id(), user.id(), cid, scope, org, roles, user.securityVersion(), 0, authTime, sessionAmr, abs);
        return new PreparedGrant(s, family, token.hash(), token.value(), subject);
    }

    /** The client id recorded on first-party families. */
    public static final String FIRST_PARTY = "latchkey:first-party";

    /**
     * Rotates a presented refresh token for {@code clientId} (null: first party). Throws with a
     * specific code when refused: a token replaced less than the grace window ago but already
     * superseded again is {@link ErrorCode#REFRESH_TOKEN_STALE} (nothing revoked); a reuse revokes
     * the family and its session and is audited. Every refusal of a presented token is logged at INFO
     * with the family (when the token names one) and the trace id, never the token.
     */
    public TokenGrant refresh(String presented, String clientId, RequestContext ctx) {
        if (presented == null || presented.isEmpty()) {
            throw LatchkeyException.of(ErrorCode.REFRESH_TOKEN_MISSING, "no refresh token presented");
        }
        Optional<RefreshTokens.Token> parsed = refreshTokens.parse(presented);
        if (parsed.isEmpty()) {
            LOG.info("refresh refused: the token is not in our format (trace {})", ctx.traceId());
            throw LatchkeyException.of(ErrorCode.REFRESH_TOKEN_INVALID, "refresh token not in our format");
        }
        RefreshTokens.Lineage lineage = refreshTokens.lineage(parsed.get());
        UUID family = parsed.get().familyId();
        Instant now = clock.instant();
        String cid = clientId == null ? FIRST_PARTY : clientId;
        Rotation r = families.rotate(family, cid, lineage, now, policy.refreshGrace(), policy.apiIdle());
        return switch (r) {
            case Rotation.Rotated(TokenSubject s) -> new TokenGrant(s, lineage.successor().value(), s.expiresAt());
            case Rotation.GraceReplay(TokenSubject s) -> {
                LOG.info("refresh token of family {} replayed within the grace window; same successor returned (trace {})",
                        s.familyId(), ctx.traceId());
                yield new TokenGrant(s, lineage.successor().value(), s.expiresAt());
            }
            case Rotation.Stale(TokenSubject s, int behind) -> {
                LOG.info("refresh refused: stale token of family {}, {} generations behind and replaced within the grace window; "
                        + "session {} continues (trace {})", s.familyId(), behind, s.sessionId(), ctx.traceId());
                throw LatchkeyException.of(ErrorCode.REFRESH_TOKEN_STALE, "stale token of family " + s.familyId() + ", " + behind + " behind");
            }
            case Rotation.Reuse(UUID f, UUID session, UUID user, String c) -> {
                audit.record(AuditEvent.of(AuditType.REFRESH_TOKEN_REUSE, now, ctx).user(user).session(session).client(c)
                        .detail("family " + f + " revoked").build());
                LOG.warn("refresh token reuse detected: family {} and session {} revoked (trace {})", f, session, ctx.traceId());
                throw LatchkeyException.of(ErrorCode.REFRESH_TOKEN_REUSED, "reuse of family " + f);
            }
            case Rotation.Invalid(Rotation.Reason reason) -> {
                LOG.info("refresh refused: family {} {} (trace {})", family, reason, ctx.traceId());
                throw switch (reason) {
                    case NOT_FOUND, WRONG_CLIENT, NOT_IN_FAMILY -> LatchkeyException.of(ErrorCode.REFRESH_TOKEN_INVALID, "refresh refused: " + reason);
                    case EXPIRED -> LatchkeyException.of(ErrorCode.SESSION_EXPIRED, "refresh family " + family + " expired");
                    case REVOKED, USER_CHANGED -> LatchkeyException.of(ErrorCode.SESSION_REVOKED, "refresh refused: " + reason);
                };
            }
        };
    }

    /** Ends the session that a refresh token belongs to (sign-out); quiet when it is already gone. */
    public void endByRefreshToken(String presented, String clientId, RequestContext ctx) {
        Optional<RefreshTokens.Token> token = refreshTokens.parse(presented);
        if (token.isPresent() && families.revoke(token.get().familyId(), clientId == null ? FIRST_PARTY : clientId,
                refreshTokens.lineage(token.get()), true, "logout", clock.instant())) {
            audit.record(AuditEvent.of(AuditType.LOGOUT, clock.instant(), ctx).detail("family " + token.get().familyId()).build());
        }
    }

    /** The session an access token names, if it is still alive (not revoked, user unchanged). */
    public Optional<Session> activeSession(UUID sessionId) {
        return sessions.findActive(sessionId, clock.instant());
    }

    public List<Session> list(UUID userId) {
        return sessions.listActive(userId, clock.instant());
    }

    public boolean revoke(UUID userId, UUID sessionId, RequestContext ctx) {
        Instant now = clock.instant();
        boolean done = sessions.revoke(userId, sessionId, "revoked by user", now);
        if (done) {
            audit.record(AuditEvent.of(AuditType.SESSION_REVOKED, now, ctx).user(userId).session(sessionId).build());
        }
        return done;
    }

    /** "Sign out other devices": every session of the user but {@code keep}. */
    public int revokeOthers(UUID userId, UUID keep, RequestContext ctx) {
        Instant now = clock.instant();
        int n = sessions.revokeAll(userId, keep, "signed out from another device", now);
        if (n > 0) {
            audit.record(AuditEvent.of(AuditType.SESSION_REVOKED, now, ctx).user(userId).session(keep)
                    .detail(n + " other sessions").build());
        }
        return n;
    }

    private void touchIfStale(Session s, Instant now, Duration idle) {
        // write at most about once a minute per session: idle timeouts are minutes to hours
        if (s.lastSeenAt() == null || Duration.between(s.lastSeenAt(), now).compareTo(Duration.ofMinutes(1)) >= 0) {
            sessions.touch(s.id(), now, s.nextIdleExpiry(now, idle));
        }
    }

    private static Session newSession(User user, SessionKind kind, String amr, String clientId, Instant now,
                                      Duration idle, Duration absolute, RequestContext ctx) {
        Instant abs = now.plus(absolute);
        return new Session(UuidV7.next(), user.id(), kind, user.securityVersion(), now, amr, now, now,
                minInstant(now.plus(idle), abs), abs, null, clientId, ctx.userAgent(), ctx.ip(), null);
    }

    private static Instant minInstant(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
