package dev.latchkey.gateway.session;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.latchkey.gateway.GatewayError;
import dev.latchkey.gateway.GatewayException;
import dev.latchkey.gateway.config.GatewayConfig;
import dev.latchkey.gateway.oidc.OidcClient;
import dev.latchkey.gateway.oidc.TokenResult;
import dev.latchkey.sdk.token.RejectReason;
import dev.latchkey.sdk.token.TokenRejectedException;
import dev.latchkey.sdk.token.TokenVerifier;
import java.nio.ByteBuffer;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gateway sessions: created after a successful code exchange, resolved from the cookie on every request (idle and
 * absolute timeouts, revocation by the server, access-token refresh), ended at logout.
 *
 * <p>Refresh is single-flight per session: within a node, concurrent requests share one in-process future; across
 * nodes, the refresher holds the session's {@link RefreshLock} and re-reads the session under it, so a node that waited
 * finds the tokens another node already refreshed instead of spending the (rotated, one-time) refresh token again.
 *
 * <p>Two refreshes of one session may still overlap — a holder that died or stalled past its lease, a lease taken in
 * PostgreSQL by a node that cannot reach Redis while another holds it in Redis — and that is harmless while both
 * present the token inside the server's grace window (the lease is shorter than it): the token just replaced gets
 * the same successor again, an older one a non-revoking {@code invalid_grant} after which the newer generation is
 * found in the store, and the tokens are stored by an update conditional on the generation read, so a late writer
 * never takes a session back a generation.
 */
public final class SessionService {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

    private final SessionStore store;
    private final RefreshLock lock;
    private final SessionIds ids;
    private final OidcClient oidc;
    private final Optional<TokenVerifier> revocation;
    private final GatewayConfig.Sessions cfg;
    private final Clock clock;
    private final ConcurrentHashMap<ByteBuffer, CompletableFuture<Optional<GatewaySession>>> inflight = new ConcurrentHashMap<>();
    private final Set<Duration> lifetimesWarned = ConcurrentHashMap.newKeySet();

    public SessionService(SessionStore store, RefreshLock lock, SessionIds ids, OidcClient oidc, Optional<TokenVerifier> revocation,
                          GatewayConfig.Sessions cfg, Clock clock) {
        this.store = store;
        this.lock = lock;
        this.ids = ids;
        this.oidc = oidc;
        this.revocation = revocation;
        this.cfg = cfg;
        this.clock = clock;
    }

    /** A new session (always a fresh id) for a validated ID token and its tokens; returns the cookie value. */
    public String create(IDTokenClaimsSet id, TokenResult.Issued tokens) {
        Instant now = clock.instant();
        String cookie = SessionIds.newValue();
        UserClaims user = new UserClaims(id.getSubject().getValue(), Optional.ofNullable(id.getStringClaim("email")),
                Boolean.TRUE.equals(id.getBooleanClaim("email_verified")), Optional.ofNullable(id.getStringClaim("name")),
                Optional.empty(), List.of(), Optional.empty());
        user = withAccessClaims(user, tokens.accessToken());
        SessionTokens t = toTokens(tokens, Optional.empty(), tokens.idToken().orElseThrow(), now);
        warnIfMarginCapped(t);
        store.create(new GatewaySession(ids.hash(cookie), user, t, 0, now, now, now.plus(cfg.absolute())));
        return cookie;
    }

    /**
     * The server's access-token lifetime is first known here: says once per lifetime seen when it is too short for
     * {@code LATCHKEY_GATEWAY_REFRESH_SKEW}, which then gives way to a tenth of the lifetime.
     */
    private void warnIfMarginCapped(SessionTokens t) {
        Duration margin = t.refreshMargin(cfg.refreshSkew());
        if (margin.compareTo(cfg.refreshSkew()) < 0 && lifetimesWarned.size() < 16 && lifetimesWarned.add(t.accessLifetime())) {
            LOG.warn("the server's access tokens live {}{}; LATCHKEY_GATEWAY_REFRESH_SKEW ({}) is more than a tenth of that, so each "
                    + "is refreshed {} before it expires instead", text(t.accessLifetime()),
                    t.accessLifetime().compareTo(cfg.refreshSkew()) <= 0 ? " (no longer than the skew: every request would refresh)" : "",
                    text(cfg.refreshSkew()), text(margin));
        }
    }

    private static String text(Duration d) {
        return d.toMillisPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** Resolves a cookie value to a live session, refreshing its access token when it is about to expire. */
    public Resolution resolve(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return new Resolution.Anonymous();
        }
        byte[] hash = ids.hash(cookie);
        Optional<GatewaySession> found = store.find(hash);
        if (found.isEmpty()) {
            return new Resolution.Ended("unknown session");
        }
        GatewaySession s = found.get();
        Instant now = clock.instant();
        if (s.expired(now, cfg.idle())) {
            store.delete(hash);
            LOG.info("gateway session {} timed out", s.logTag());
            return new Resolution.Ended("timed out");
        }
        if (s.needsRefresh(now, cfg.refreshSkew())) {
            Optional<GatewaySession> refreshed;
            try {
                refreshed = refresh(s);
            } catch (GatewayException e) {
                if (e.error() != GatewayError.ISSUER_UNAVAILABLE || !now.isBefore(s.tokens().accessExpiresAt())) {
                    throw e;
                }
                LOG.warn("gateway session {}: refresh failed ({}); the access token is still valid, using it", s.logTag(), e.getMessage());
                refreshed = Optional.of(s);
            }
            if (refreshed.isEmpty()) {
                return new Resolution.Ended("refresh failed");
            }
            s = refreshed.get();
        }
        if (isRevoked(s)) {
            // a token the feed refuses may only carry roles the user lost (roles_changed): a refresh brings the new
            // ones; a session the server really ended refuses the refresh, and then this one ends too
            Optional<GatewaySession> renewed = refresh(s);
            if (renewed.isEmpty() || isRevoked(renewed.get())) {
                store.delete(hash);
                LOG.info("gateway session {} ended: revoked at the server", s.logTag());
                return new Resolution.Ended("revoked");
            }
            LOG.info("gateway session {}: access token refused by the feed, refreshed into the current roles", s.logTag());
            s = renewed.get();
        }
        if (!now.isBefore(s.lastSeenAt().plus(cfg.touchEvery()))) {
            s = store.touch(s, now);
        }
        return new Resolution.Active(s);
    }

    /**
     * Refreshes after an upstream refused {@code used} (RFC 6750 §3.1 invalid_token): only if no other request has
     * refreshed the session since; returns the session to retry with, or empty when it ended.
     */
    public Optional<GatewaySession> refreshAfterRejection(GatewaySession used) {
        return refresh(used);
    }

    private Optional<GatewaySession> refresh(GatewaySession seen) {
        ByteBuffer key = ByteBuffer.wrap(seen.idHash());
        CompletableFuture<Optional<GatewaySession>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<GatewaySession>> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();        // the same refresh, made once for every waiting request on this node
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            Optional<GatewaySession> out = refreshUnderLock(seen);
            mine.complete(out);
            return out;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    /**
     * Switches the session to another of the user's organizations ({@code POST /auth/org}): a refresh under the
     * session's lease with the {@code organization} parameter, so the next relayed token carries that org, its
     * roles and permissions. Refused ({@link GatewayError#NOT_A_MEMBER}): the session goes on unchanged.
     */
    public Optional<GatewaySession> switchOrganization(GatewaySession seen, String orgId) {
        return refreshUnderLock(seen, orgId);
    }

    private Optional<GatewaySession> refreshUnderLock(GatewaySession seen) {
        return refreshUnderLock(seen, null);
    }

    private Optional<GatewaySession> refreshUnderLock(GatewaySession seen, String organization) {
        record Outcome(Optional<GatewaySession> session, boolean delete) {
        }
        oidc.metadata();              // discovery (after a restart) happens before the lease, which then covers one token request
        Outcome o = lock.around(seen.idHash(), held -> {
            Optional<GatewaySession> current = store.findFresh(seen.idHash());
            if (current.isEmpty()) {
                return new Outcome(Optional.empty(), false);
            }
            GatewaySession c = current.get();
            if (c.generation() != seen.generation() && organization == null) {
                return new Outcome(Optional.of(c), false);      // another request or node refreshed meanwhile
            }
            if (c.tokens().refreshToken().isEmpty()) {
                return new Outcome(Optional.empty(), true);
            }
            // every attempt (repeats after a lost answer included) ends within the lease, a fifth of it left for storing
            TokenResult r = oidc.refresh(c.tokens().refreshToken().get(), held.endsAtNanos() - held.ttl().toNanos() / 5, organization);
            return switch (r) {
                case TokenResult.Refused f when organization != null && f.error().equals("invalid_request") ->
                        // the organization is not one of the user's: the grant (and this session) is untouched
                        throw new GatewayException(GatewayError.NOT_A_MEMBER, "switch to " + organization + " refused: " + f.description());
                case TokenResult.Refused f when f.error().equals("invalid_grant") -> {
                    // The server also answers invalid_grant, revoking nothing, to a refresh token it replaced moments
                    // ago: this request was overtaken (it reached the server late, after another node — whose lock
                    // had lapsed — refreshed). Then the session goes on with what that node stored.
                    Optional<GatewaySession> meanwhile = store.findFresh(c.idHash()).filter(n -> n.generation() != c.generation());
                    if (meanwhile.isPresent()) {
                        LOG.info("gateway session {}: refresh refused (invalid_grant: {}), but it was refreshed meanwhile; keeping it",
                                c.logTag(), f.description());
                        yield new Outcome(meanwhile, false);
                    }
                    // RFC 6749 §5.2: revoked, expired or reused: this session cannot continue
                    LOG.info("gateway session {}: refresh refused (invalid_grant: {}), ending it", c.logTag(), f.description());
                    yield new Outcome(Optional.empty(), true);
                }
                case TokenResult.Refused f -> throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE,
                        "the server refused the gateway's refresh request: " + f.error() + " (check the client registration)");
                case TokenResult.Issued i -> {
                    Instant now = clock.instant();
                    String idToken = i.idToken().orElse(c.tokens().idToken());
                    SessionTokens t = toTokens(i, c.tokens().refreshToken(), idToken, now);
                    UserClaims user = withAccessClaims(c.user(), i.accessToken());
                    // conditional on the generation read under the lock; if it lost anyway, take what the winner stored
                    Optional<GatewaySession> stored = store.replaceTokens(c, user, t).or(() -> store.findFresh(c.idHash()));
                    LOG.debug("gateway session {} refreshed to generation {}", c.logTag(), c.generation() + 1);
                    yield new Outcome(stored, false);
                }
            };
        });
        if (o.delete()) {
            store.delete(seen.idHash());
        }
        return o.session();
    }

    /** Logout: deletes the session and returns what it held (for revocation and the end-session URL). */
    public Optional<GatewaySession> end(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = ids.hash(cookie);
        Optional<GatewaySession> s = store.find(hash);
        store.delete(hash);
        return s;
    }

    /**
     * The server revoked something of {@code subject} (an event of its revocation feed): ends at once each of the
     * user's gateway sessions whose access token the feed now refuses, idle ones included, which would otherwise
     * end only at their next request or timeout. Idempotent, so events replayed at a reconnection are harmless.
     */
    public int endRevoked(String subject) {
        int ended = 0;
        for (byte[] idHash : store.idHashesOf(subject)) {
            Optional<GatewaySession> s = store.find(idHash);
            if (s.isPresent() && isRevoked(s.get()) && store.delete(idHash)) {
                LOG.info("gateway session {} ended: revoked at the server", s.get().logTag());
                ended++;
            }
        }
        return ended;
    }

    private boolean isRevoked(GatewaySession s) {
        if (revocation.isEmpty()) {
            return false;
        }
        try {
            revocation.get().verify(s.tokens().accessToken());
            return false;
        } catch (TokenRejectedException e) {
            if (e.reason() != RejectReason.REVOKED) {
                LOG.debug("gateway session {}: access token not verifiable locally ({})", s.logTag(), e.reason());
            }
            return e.reason() == RejectReason.REVOKED;
        }
    }

    private static SessionTokens toTokens(TokenResult.Issued i, Optional<String> previousRefresh, String idToken, Instant now) {
        return new SessionTokens(i.accessToken(), now, now.plusSeconds(i.expiresInSeconds()), i.refreshToken().or(() -> previousRefresh), idToken);
    }

    /** RFC 9068 §2.2, §2.2.1: the access token's org, roles, permissions, sid, acr, amr and auth_time, as the server just issued it. */
    private static UserClaims withAccessClaims(UserClaims u, String accessToken) {
        try {
            JWTClaimsSet c = JWTParser.parse(accessToken).getJWTClaimsSet();
            Long authTime = c.getLongClaim("auth_time");
            UserClaims.Access access = new UserClaims.Access(strings(c, "permissions"), Optional.ofNullable(c.getStringClaim("acr")),
                    strings(c, "amr"), Optional.ofNullable(authTime).map(Instant::ofEpochSecond));
            return u.withAccess(Optional.ofNullable(c.getStringClaim("org")), strings(c, "roles"),
                    Optional.ofNullable(c.getStringClaim("sid")), access);
        } catch (ParseException e) {
            throw new GatewayException(GatewayError.ISSUER_UNAVAILABLE, "the issuer sent an access token that is not a JWT");
        }
    }

    private static List<String> strings(JWTClaimsSet c, String name) throws ParseException {
        List<String> v = c.getStringListClaim(name);
        return v == null ? List.of() : v;
    }
}
