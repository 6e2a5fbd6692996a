package dev.latchkey.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.session.LiveSessions;
import dev.latchkey.core.session.Revocation;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionStore;
import dev.latchkey.server.revocation.RevocationBus;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Session liveness and user profiles for bearer-token checks (userinfo, introspection, the
 * first-party API), cached so that a token check does not query the database, and evicted by the
 * revocation bus the moment a session, a user's version or a user's status changes on any node.
 */
public final class CachedSessions implements LiveSessions, RevocationBus.Listener {
    private final SessionStore sessions;
    private final UserStore users;
    private final Clock clock;
    private final Cache<UUID, Optional<Session>> sessionCache;
    private final Cache<UUID, Optional<User>> userCache;

    public CachedSessions(SessionStore sessions, UserStore users, Clock clock, Duration ttl, long maxSize) {
        this.sessions = sessions;
        this.users = users;
        this.clock = clock;
        this.sessionCache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).build();
        this.userCache = Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).build();
    }

    @Override
    public Optional<Session> active(UUID sessionId) {
        Optional<Session> s = sessionCache.get(sessionId, id -> sessions.findActive(id, clock.instant()));
        return s.filter(x -> x.aliveAt(clock.instant()));
    }

    public Optional<User> user(UUID userId) {
        return userCache.get(userId, users::findById);
    }

    @Override
    public void revoked(Revocation r) {
        switch (r.kind()) {
            case SESSION -> sessionCache.invalidate(r.sessionId());
            case ROLES_CHANGED, SERVICE_ACCOUNT_DISABLED -> {
                // sessions do not hold roles: the next token reads the membership (OrgClaims)
            }
            case USER_VERSION, USER_DISABLED, USER_DELETED -> {
                userCache.invalidate(r.userId());
                sessionCache.asMap().entrySet().removeIf(e -> e.getValue().map(s -> s.userId().equals(r.userId())).orElse(false));
            }
        }
    }

    @Override
    public void resync() {
        sessionCache.invalidateAll();
        userCache.invalidateAll();
    }

    /** Forget a user's profile after a change that is not a revocation (e.g. a new name), on this node or another. */
    @Override
    public void userChanged(UUID userId) {
        userCache.invalidate(userId);
    }

}
