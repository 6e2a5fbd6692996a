package dev.latchkey.sdk.revocation;

import dev.latchkey.sdk.token.VerifiedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the feed has said, reduced to what can still matter: revoked session ids, and per user a minimum
 * security version and a time before which every token was revoked. An entry is kept for
 * {@code retention} after its event (the longest access-token lifetime plus clock skew): by then every
 * token it could refuse has expired. Lookups are two hash-map reads; safe for concurrent use.
 */
final class RevocationState {
    /** Per user: tokens with {@code ver < minVersion}, or issued at or before {@code revokedUntil}, are revoked. */
    record UserFloor(long minVersion, Instant revokedUntil, Instant forgetAfter) {
        UserFloor merge(UserFloor o) {
            return new UserFloor(Math.max(minVersion, o.minVersion), max(revokedUntil, o.revokedUntil), max(forgetAfter, o.forgetAfter));
        }
    }

    private final Duration retention;
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();
    private final Map<String, UserFloor> users = new ConcurrentHashMap<>();
    /** Per user and org ({@code user + " " + org}): the newest roles change, by {@code seq}. */
    private final Map<String, Granted> grants = new ConcurrentHashMap<>();

    /** What a member holds in an org after the change with this {@code seq}. */
    record Granted(long seq, Set<String> roles, Set<String> permissions, Instant forgetAfter) {
        Granted newer(Granted o) {
            return o.seq > seq ? o : this;
        }
    }

    RevocationState(Duration retention) {
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    void apply(RevocationEvent e) {
        Instant forget = e.at().plus(retention);
        switch (e.kind()) {
            case SESSION -> sessions.merge(e.sessionId().orElseThrow(), forget, RevocationState::max);
            case USER_VERSION -> floor(e.userId(), e.securityVersion().orElse(0), Instant.MIN, forget);
            // the version is exact (no clocks involved); without one, every token issued up to the event goes
            case USER_DISABLED -> floor(e.userId(), e.securityVersion().orElse(0),
                    e.securityVersion().isPresent() ? Instant.MIN : e.at(), forget);
            case USER_DELETED, SERVICE_ACCOUNT_DISABLED -> floor(e.userId(), 0, e.at(), forget);
            case ROLES_CHANGED -> {
                RevocationEvent.RolesChange c = e.change().orElseThrow();
                grants.merge(e.userId() + " " + c.orgId(), new Granted(e.seq(), c.roles(), c.permissions(), forget), Granted::newer);
            }
        }
    }

    private void floor(String user, long minVersion, Instant revokedUntil, Instant forget) {
        users.merge(user, new UserFloor(minVersion, revokedUntil, forget), UserFloor::merge);
    }

    /**
     * True when the token's session was ended, its {@code ver} is below the user's floor (a token without
     * {@code ver} then counts as below), or it was issued no later than the user's disable/delete. {@code iat}
     * has whole seconds, so a token from the same second as the event is refused: the safe side.
     */
    boolean isRevoked(VerifiedToken t) {
        if (t.sessionId().isPresent() && sessions.containsKey(t.sessionId().get())) {
            return true;
        }
        if (t.organization().isPresent() && !grants.isEmpty()) {
            Granted g = grants.get(t.subject() + " " + t.organization().get());
            // a token with a role or permission the member no longer has is revoked; one within the new set stays
            if (g != null && (!g.roles().containsAll(t.roles()) || !g.permissions().containsAll(t.permissions()))) {
                return true;
            }
        }
        UserFloor f = users.get(t.subject());
        if (f == null) {
            return false;
        }
        if (f.minVersion() > 0 && (t.securityVersion().isEmpty() || t.securityVersion().getAsLong() < f.minVersion())) {
            return true;
        }
        return !t.issuedAt().isAfter(f.revokedUntil());
    }

    /** Forgets entries whose tokens have all expired. */
    void sweep(Instant now) {
        sessions.values().removeIf(forget -> forget.isBefore(now));
        users.values().removeIf(f -> f.forgetAfter().isBefore(now));
        grants.values().removeIf(g -> g.forgetAfter().isBefore(now));
    }

    int sessions() {
        return sessions.size();
    }

    int users() {
        return users.size();
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
