package dev.latchkey.server.firstparty;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.LiveSessions;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.token.TokenPrincipal;
import io.javalin.http.Context;
import java.util.Enumeration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Authenticates first-party API calls (RFC 6750 §2.1: the Authorization header only, never a
 * query parameter): a valid access token of the first-party client whose session is still alive —
 * so a revoked session or a changed password is refused at once, not at token expiry.
 */
public final class BearerAuth {
    /** The caller: who, and in which session. */
    public record Caller(UUID userId, Session session, AccessTokenVerifier.Claims claims) {
    }

    private final AccessTokenVerifier verifier;
    private final LiveSessions sessions;
    private final String firstPartyClientId;

    public BearerAuth(AccessTokenVerifier verifier, LiveSessions sessions, String firstPartyClientId) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.firstPartyClientId = Objects.requireNonNull(firstPartyClientId, "firstPartyClientId");
    }

    public Caller require(Context ctx) {
        return require(ctx, firstPartyClientId::equals);
    }

    /**
     * Like {@link #require(Context)}, for a user's access token of any client {@code clients} accepts (the same live
     * session and security-version checks): for the read-only endpoints other first-party clients may call too.
     */
    public Caller require(Context ctx, Predicate<String> clients) {
        String token = bearer(ctx);
        AccessTokenVerifier.Claims c = verifier.tryVerify(token)
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.INVALID_TOKEN, "access token failed verification"));
        if (c.clientId() == null || !clients.test(c.clientId()) || c.kind() != TokenPrincipal.Kind.USER) {
            throw LatchkeyException.of(ErrorCode.INVALID_TOKEN, "token of client " + c.clientId() + " on the first-party API");
        }
        UUID userId;
        UUID sessionId;
        try {
            userId = UUID.fromString(c.subject());
            sessionId = UUID.fromString(c.sessionId());
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.of(ErrorCode.INVALID_TOKEN, "malformed sub or sid");
        }
        Session s = sessions.active(sessionId)
                .filter(x -> x.userId().equals(userId))
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.SESSION_REVOKED, "session " + sessionId + " no longer active"));
        if (c.securityVersion() != null && c.securityVersion() != s.userVersion()) {
            throw LatchkeyException.of(ErrorCode.SESSION_REVOKED, "token of an older security version");
        }
        return new Caller(userId, s, c);
    }

    /** The bearer token of the Authorization header; exactly one header, scheme case-insensitive. */
    static String bearer(Context ctx) {
        Enumeration<String> all = ctx.req().getHeaders("Authorization");
        if (all == null || !all.hasMoreElements()) {
            throw LatchkeyException.of(ErrorCode.UNAUTHENTICATED, "no Authorization header");
        }
        String h = all.nextElement();
        if (all.hasMoreElements()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "Send one Authorization header.", "several Authorization headers");
        }
        if (h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw LatchkeyException.of(ErrorCode.INVALID_TOKEN, "Authorization is not a Bearer token");
        }
        return h.substring(7).strip();
    }
}
