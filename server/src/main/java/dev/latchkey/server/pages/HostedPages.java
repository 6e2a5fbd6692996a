package dev.latchkey.server.pages;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.Registration;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import dev.latchkey.core.authn.Amr;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The hosted sign-in, sign-up and account pages. Server-rendered forms with CSRF tokens; a
 * successful sign-in always creates a new session with a new cookie value (no fixation) and ends
 * the session the browser had before.
 */
public final class HostedPages implements Endpoints {
    static final String SESSION_COOKIE = "lk_session";

    private final AccountService accounts;
    private final SessionService sessions;
    private final Pages pages;
    private final Csrf csrf;
    private final Cookies cookies;
    private final Requests requests;
    private final RateLimits rateLimits;
    private final LatchkeyConfig.Abuse abuse;
    private final int minPasswordLength;
    private final String sessionCookie;
    private final byte[] css;
    private final SignInPages signInPages;

    public HostedPages(AccountService accounts, SessionService sessions, Pages pages, Csrf csrf, Cookies cookies,
                       Requests requests, RateLimits rateLimits, LatchkeyConfig.Abuse abuse, int minPasswordLength,
                       SignInPages signInPages) {
        this.signInPages = signInPages;
        signInPages.attach(this);
        this.accounts = accounts;
        this.sessions = sessions;
        this.pages = pages;
        this.csrf = csrf;
        this.cookies = cookies;
        this.requests = requests;
        this.rateLimits = rateLimits;
        this.abuse = abuse;
        this.minPasswordLength = minPasswordLength;
        this.sessionCookie = cookies.hostName(SESSION_COOKIE);
        try (InputStream in = HostedPages.class.getResourceAsStream("/assets/latchkey.css")) {
            this.css = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the stylesheet is missing from the build", e);
        }
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/", ctx -> ctx.redirect(ReturnTo.DEFAULT, io.javalin.http.HttpStatus.FOUND));
        r.get("/login", this::loginPage);
        r.post("/login", this::login);
        r.get("/signup", this::signupPage);
        r.post("/signup", this::signup);
        r.post("/logout", this::logout);
        signInPages.register(r);
        r.get("/assets/latchkey.css", ctx -> {
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType("text/css; charset=utf-8").result(css);
        });
    }

    /** The browser's live SSO session, if any (for the OIDC provider, too). */
    public Optional<Session> currentSession(Context ctx) {
        return sessions.browserSession(Cookies.read(ctx, sessionCookie));
    }

    void loginPage(Context ctx) {
        String returnTo = ReturnTo.sanitize(ctx.queryParam("return_to"));
        if (currentSession(ctx).isPresent() && !"login".equals(ctx.queryParam("prompt"))) {
            ctx.redirect(returnTo, io.javalin.http.HttpStatus.FOUND);
            return;
        }
        String notice = ctx.queryParam("signed_out") != null ? "You have been signed out." : SignInPages.loginNotice(ctx.queryParam("notice"));
        String hint = ctx.queryParam("login_hint");
        renderLogin(ctx, 200, returnTo, hint == null || hint.length() > 320 ? "" : hint, null, notice);
    }

    void login(Context ctx) {
        String returnTo = ReturnTo.sanitize(single(ctx, "return_to"));
        if (!checkForm(ctx)) {
            renderLogin(ctx, 403, returnTo, "", "Your sign-in form expired. Please try again.", null);
            return;
        }
        String email = Optional.ofNullable(single(ctx, "email")).orElse("");
        String password = Optional.ofNullable(single(ctx, "password")).orElse("");
        RequestContext rc = requests.context(ctx);
        SignInOutcome outcome;
        try {
            rateLimits.check("login-ip", rc.ip(), abuse.loginPerIp());
            rateLimits.check("login-account", email.strip().toLowerCase(java.util.Locale.ROOT), abuse.loginPerAccount());
            if (email.length() > 320 || password.length() > 1024) {
                throw LatchkeyException.of(ErrorCode.INVALID_CREDENTIALS, "oversized credentials");
            }
            outcome = signInPages.flow().password(email, password, rc);
            if (outcome instanceof SignInOutcome.Failed f) {
                throw f.toException();
            }
        } catch (LatchkeyException e) {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            // a wrong password re-renders the form (200): a 401 would need a WWW-Authenticate challenge
            int status = e.code().httpStatus() == 401 ? 200 : e.code().httpStatus();
            renderLogin(ctx, status, returnTo, email.length() > 320 ? "" : email, e.publicMessage(), null);
            return;
        }
        signInPages.finish(ctx, outcome, returnTo, rc);
    }

    void signupPage(Context ctx) {
        String returnTo = ReturnTo.sanitize(ctx.queryParam("return_to"));
        pages.render(ctx, 200, "signup.jte", new PageModels.SignupForm(csrf.token(ctx), returnTo, "", "", List.of(), minPasswordLength));
    }

    void signup(Context ctx) {
        String returnTo = ReturnTo.sanitize(single(ctx, "return_to"));
        String email = Optional.ofNullable(single(ctx, "email")).orElse("");
        String name = Optional.ofNullable(single(ctx, "name")).orElse("");
        if (!checkForm(ctx)) {
            renderSignup(ctx, 403, returnTo, email, name, List.of("Your form expired. Please try again."));
            return;
        }
        String password = Optional.ofNullable(single(ctx, "password")).orElse("");
        RequestContext rc = requests.context(ctx);
        Registration.Outcome outcome;
        try {
            rateLimits.check("signup-ip", rc.ip(), abuse.signupPerIp());
            if (email.length() > 320 || password.length() > 1024 || name.length() > 200) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "A field is too long.", "oversized signup field");
            }
            outcome = signInPages.registration().signup(new SignupRequest(email, password, name), rc);
        } catch (LatchkeyException e) {
            if (e.retryAfterSeconds() > 0) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            List<String> errors = e.code() == ErrorCode.WEAK_PASSWORD
                    ? accounts.passwordViolations(password, emailOrNull(email))
                    : List.of(e.publicMessage());
            renderSignup(ctx, e.code().httpStatus(), returnTo, email, name, errors.isEmpty() ? List.of(e.publicMessage()) : errors);
            return;
        }
        switch (outcome) {
            case Registration.Created c -> signInPages.signedUp(ctx, c.user(), returnTo, rc);
            case Registration.ExistingAddress x -> signInPages.signedUpExisting(ctx, x, returnTo);
        }
    }

    void logout(Context ctx) {
        if (!checkForm(ctx)) {
            pages.render(ctx, 403, "error.jte", new PageModels.ErrorPage("Sign-out failed", "Your form expired. Please try again.",
                    HttpApp.trace(ctx).traceId()));
            return;
        }
        endCurrentSession(ctx);
        ctx.redirect("/login?signed_out=1", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Starts a fresh browser session for {@code user}, replacing whatever session the browser had. */
    public void signIn(Context ctx, User user, RequestContext rc) {
        signIn(ctx, user, Amr.format(List.of(Amr.PWD)), rc);
    }

    /** Starts a fresh browser session after a completed sign-in, recording how it was authenticated ({@code amr}). */
    public void signIn(Context ctx, User user, String amr, RequestContext rc) {
        endCurrentSession(ctx);
        SessionService.BrowserSession bs = sessions.startBrowserSession(user, amr, rc);
        cookies.set(ctx, sessionCookie, bs.cookieValue(), "/", null, Cookies.SameSite.LAX);
    }

    /** Ends the browser's session (if any) and clears the cookie. */
    public void endCurrentSession(Context ctx) {
        Optional<Session> old = currentSession(ctx);
        old.ifPresent(s -> sessions.revoke(s.userId(), s.id(), requests.context(ctx)));
        if (Cookies.read(ctx, sessionCookie) != null) {
            cookies.clear(ctx, sessionCookie, "/", Cookies.SameSite.LAX);
        }
    }

    private boolean checkForm(Context ctx) {
        return requests.originAllowed(ctx) && csrf.valid(ctx, single(ctx, "csrf"));
    }

    void renderLogin(Context ctx, int status, String returnTo, String email, String error, String notice) {
        pages.render(ctx, status, "login.jte", new PageModels.LoginForm(csrf.token(ctx), returnTo, email, error, notice,
                signInPages.options(returnTo)));
    }

    private void renderSignup(Context ctx, int status, String returnTo, String email, String name, List<String> errors) {
        pages.render(ctx, status, "signup.jte", new PageModels.SignupForm(csrf.token(ctx), returnTo,
                email.length() > 320 ? "" : email, name.length() > 200 ? "" : name, errors, minPasswordLength));
    }

    private static dev.latchkey.core.account.EmailAddress emailOrNull(String raw) {
        try {
            return dev.latchkey.core.account.EmailAddress.parse(raw);
        } catch (LatchkeyException e) {
            return null;
        }
    }

    /** A form field that must appear at most once. */
    private static String single(Context ctx, String name) {
        List<String> values = ctx.formParams(name);
        if (values.size() > 1) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The field '" + name + "' was sent twice.", "duplicate form field");
        }
        return values.isEmpty() ? null : values.get(0);
    }
}
