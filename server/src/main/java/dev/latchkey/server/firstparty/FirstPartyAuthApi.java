package dev.latchkey.server.firstparty;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.core.session.TokenGrant;
import dev.latchkey.core.token.AccessTokenRequest;
import dev.latchkey.core.token.AccessTokens;
import dev.latchkey.core.token.IssuedAccessToken;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The first-party "token in memory" API under {@code /api/auth}: the access token in the JSON body
 * (OAuth's token response shape, RFC 6749 §5.1), the refresh token in an HttpOnly, SameSite=Strict
 * cookie scoped to {@code /api/auth}, rotated on every refresh.
 */
public final class FirstPartyAuthApi implements Endpoints {
    static final String PATH = "/api/auth";
    static final String REFRESH_COOKIE = "lk_refresh";

    /** Refusals of a refresh that mean the session is over, so the refresh cookie is cleared. */
    static final Set<ErrorCode> SESSION_OVER = EnumSet.of(ErrorCode.REFRESH_TOKEN_INVALID, ErrorCode.REFRESH_TOKEN_REUSED,
            ErrorCode.SESSION_REVOKED, ErrorCode.SESSION_EXPIRED);

    /** The client id in first-party access tokens. */
    public static final String CLIENT_ID = "latchkey";

    private final AccountService accounts;
    private final SessionService sessions;
    private final AccessTokens accessTokens;
    private final BearerAuth bearer;
    private final JsonBodies bodies;
    private final JsonResponses json;
    private final Cookies cookies;
    private final Requests requests;
    private final RateLimits rateLimits;
    private final LatchkeyConfig.Abuse abuse;
    private final List<String> audience;
    private final String refreshCookie;

    private final FirstPartySignIn signIn;

    public FirstPartyAuthApi(AccountService accounts, SessionService sessions, AccessTokens accessTokens, BearerAuth bearer,
                             JsonBodies bodies, Cookies cookies, Requests requests, RateLimits rateLimits,
                             LatchkeyConfig.Abuse abuse, List<String> audience, FirstPartySignIn signIn) {
        this.signIn = signIn;
        signIn.attach(this);
        this.accounts = accounts;
        this.sessions = sessions;
        this.accessTokens = accessTokens;
        this.bearer = bearer;
        this.bodies = bodies;
        this.json = new JsonResponses(bodies.mapper());
        this.cookies = cookies;
        this.requests = requests;
        this.rateLimits = rateLimits;
        this.abuse = abuse;
        this.audience = List.copyOf(audience);
        this.refreshCookie = cookies.pathName(REFRESH_COOKIE);
    }

    record Credentials(String email, String password) {
    }

    record Signup(String email, String password, String name) {
    }

    record PasswordChange(String current_password, String new_password) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(PATH + "/signup", this::signup);
        r.post(PATH + "/login", this::login);
        r.post(PATH + "/refresh", this::refresh);
        r.post(PATH + "/logout", this::logout);
        r.get(PATH + "/me", this::me);
        r.get(PATH + "/sessions", this::listSessions);
        r.delete(PATH + "/sessions/{id}", this::revokeSession);
        r.delete(PATH + "/sessions", this::revokeSessions);
        r.post(PATH + "/password", this::changePassword);
        signIn.register(r);
    }

    void signup(Context ctx) {
        RequestContext rc = requests.context(ctx);
        rateLimits.check("signup-ip", rc.ip(), abuse.signupPerIp());
        Signup body = bodies.read(ctx, Signup.class);
        JsonBodies.required(body.email(), "email");
        JsonBodies.required(body.password(), "password");
        JsonBodies.bounded(body.email(), "email", 320);
        JsonBodies.bounded(body.password(), "password", 1024);
        signIn.signup(ctx, new SignupRequest(body.email(), body.password(), body.name()), rc);
    }

    void login(Context ctx) {
        RequestContext rc = requests.context(ctx);
        rateLimits.check("login-ip", rc.ip(), abuse.loginPerIp());
        Credentials body = bodies.read(ctx, Credentials.class);
        JsonBodies.required(body.email(), "email");
        JsonBodies.required(body.password(), "password");
        JsonBodies.bounded(body.email(), "email", 320);
        JsonBodies.bounded(body.password(), "password", 1024);
        rateLimits.check("login-account", accountKey(body.email()), abuse.loginPerAccount());
        signIn.finish(ctx, signIn.flow().password(body.email(), body.password(), rc), rc);
    }

    private void startSession(Context ctx, User user, RequestContext rc) {
        startSession(ctx, user, "pwd", rc);
    }

    /** Starts a token session after a completed sign-in ({@code amr} as stored) and answers with the tokens. */
    void startSession(Context ctx, User user, String amr, RequestContext rc) {
        startSession(ctx, user, amr, rc, Map.of());
    }

    /** The same, with further members in the answer (e.g. recovery codes left after using one). */
    void startSession(Context ctx, User user, String amr, RequestContext rc, Map<String, Object> extra) {
        TokenGrant grant = sessions.startTokenSession(user, null, null, amr, null, rc);
        respondWithTokens(ctx, grant, extra);
    }

    void refresh(Context ctx) {
        rotate(ctx, (presented, rc) -> sessions.refresh(presented, null, rc));
    }

    /**
     * Rotates the refresh cookie's token with {@code rotation} (a refresh, or a switch of organization) and
     * answers with fresh tokens; an authoritative end of the session clears the cookie.
     */
    void rotate(Context ctx, java.util.function.BiFunction<String, RequestContext, TokenGrant> rotation) {
        RequestContext rc = requests.context(ctx);
        rateLimits.check("refresh-ip", rc.ip(), abuse.refreshPerIp());
        requireSameSite(ctx);
        String presented = Cookies.read(ctx, refreshCookie);
        TokenGrant grant;
        try {
            grant = rotation.apply(presented, rc);
        } catch (LatchkeyException e) {
            // only an authoritative "this session is over" clears the cookie: a stale (late) answer
            // must not overwrite the newer cookie the browser already holds, nor must a server failure
            if (SESSION_OVER.contains(e.code())) {
                cookies.clear(ctx, refreshCookie, PATH, Cookies.SameSite.STRICT);
            }
            throw e;
        }
        respondWithTokens(ctx, grant);
    }

    void logout(Context ctx) {
        requireSameSite(ctx);
        String presented = Cookies.read(ctx, refreshCookie);
        if (presented != null) {
            sessions.endByRefreshToken(presented, null, requests.context(ctx));
        }
        cookies.clear(ctx, refreshCookie, PATH, Cookies.SameSite.STRICT);
        ctx.header("Cache-Control", "no-store");
        ctx.status(204);
    }

    void me(Context ctx) {
        BearerAuth.Caller caller = authenticated(ctx);
        writeMe(ctx, accounts.get(caller.userId()), caller);
    }

    void writeMe(Context ctx, User u, BearerAuth.Caller caller) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", u.id().toString());
        out.put("email", u.email().value());
        out.put("email_verified", u.emailVerified());
        out.put("name", u.name());
        out.put("created_at", u.createdAt().toString());
        out.put("session_id", caller.session().id().toString());
        writeJson(ctx, 200, out);
    }

    void listSessions(Context ctx) {
        BearerAuth.Caller caller = authenticated(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Session s : sessions.list(caller.userId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id().toString());
            m.put("current", s.id().equals(caller.session().id()));
            m.put("kind", s.kind().wireName());
            m.put("client_id", s.clientId());
            m.put("created_at", s.createdAt().toString());
            m.put("last_seen_at", s.lastSeenAt() == null ? null : s.lastSeenAt().toString());
            m.put("idle_expires_at", s.idleExpiresAt().toString());
            m.put("expires_at", s.absoluteExpiresAt().toString());
            m.put("user_agent", s.userAgent());
            m.put("ip", s.ip());
            out.add(m);
        }
        writeJson(ctx, 200, Map.of("sessions", out));
    }

    void revokeSession(Context ctx) {
        BearerAuth.Caller caller = authenticated(ctx);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such session.", "malformed session id");
        }
        if (!sessions.revoke(caller.userId(), id, requests.context(ctx))) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such session.", "session not found or not the caller's");
        }
        ctx.status(204);
    }

    void revokeSessions(Context ctx) {
        BearerAuth.Caller caller = authenticated(ctx);
        String others = ctx.queryParam("others");
        if (!"true".equals(others)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "Use ?others=true to sign out all other sessions, or DELETE /api/auth/sessions/{id} for one.", "missing others=true");
        }
        int n = sessions.revokeOthers(caller.userId(), caller.session().id(), requests.context(ctx));
        writeJson(ctx, 200, Map.of("revoked", n));
    }

    void changePassword(Context ctx) {
        BearerAuth.Caller caller = authenticated(ctx);
        RequestContext rc = requests.context(ctx);
        rateLimits.check("login-account", caller.userId().toString(), abuse.loginPerAccount());
        signIn.requireRecentFactor(caller);
        PasswordChange body = bodies.read(ctx, PasswordChange.class);
        JsonBodies.required(body.current_password(), "current_password");
        JsonBodies.required(body.new_password(), "new_password");
        JsonBodies.bounded(body.new_password(), "new_password", 1024);
        accounts.changePassword(caller.userId(), body.current_password(), body.new_password(), rc);
        // every session ended with the change; this device continues in a fresh one
        startSession(ctx, accounts.get(caller.userId()), rc);
    }

    BearerAuth.Caller authenticated(Context ctx) {
        RequestContext rc = requests.context(ctx);
        rateLimits.check("account-ip", rc.ip(), abuse.accountPerIp());
        return bearer.require(ctx);
    }

    /** {@link #authenticated(Context)} for a user's token of any client {@code clients} accepts. */
    BearerAuth.Caller authenticated(Context ctx, java.util.function.Predicate<String> clients) {
        RequestContext rc = requests.context(ctx);
        rateLimits.check("account-ip", rc.ip(), abuse.accountPerIp());
        return bearer.require(ctx, clients);
    }

    void requireSameSite(Context ctx) {
        if (!requests.sameSiteIntent(ctx)) {
            throw LatchkeyException.withMessage(ErrorCode.CSRF_FAILED,
                    "Send the header X-CSRF: 1 (or call from the same origin).", "cookie request without CSRF proof");
        }
    }

    void respondWithTokens(Context ctx, TokenGrant grant) {
        respondWithTokens(ctx, grant, Map.of());
    }

    private void respondWithTokens(Context ctx, TokenGrant grant, Map<String, Object> extra) {
        IssuedAccessToken at = accessTokens.issue(AccessTokenRequest.forUser(grant.subject(), audience, CLIENT_ID, null, false));
        Duration cookieAge = grant.refreshExpiresAt() == null ? null : Duration.between(Instant.now(), grant.refreshExpiresAt());
        cookies.set(ctx, refreshCookie, grant.refreshToken(), PATH, cookieAge, Cookies.SameSite.STRICT);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", at.value());
        out.put("token_type", "Bearer");
        out.put("expires_in", at.expiresInSeconds());
        out.putAll(extra);
        ctx.header("Pragma", "no-cache");
        writeJson(ctx, ctx.statusCode() == 201 ? 201 : 200, out);
    }

    private void writeJson(Context ctx, int status, Object body) {
        json.write(ctx, status, body);
    }

    private static String accountKey(String email) {
        try {
            return EmailAddress.parse(email).value();
        } catch (LatchkeyException e) {
            return email.strip();
        }
    }
}
