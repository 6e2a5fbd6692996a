package dev.latchkey.server.pages;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.identity.FederatedSignIn;
import dev.latchkey.core.identity.IdentityProvider;
import dev.latchkey.core.identity.UpstreamFlow;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Sign-in with upstream identity providers in the browser (docs/identity-providers.md):
 * {@code GET /login/idp/<name>} starts the round trip (the authorization endpoint's {@code idp} hint and the
 * sign-in page's buttons lead here), {@code GET /login/idp/callback} finishes it, and the account page links
 * and unlinks identities. The flow is bound to this browser by a cookie; the callback parses the
 * parameters, makes one core call, and renders its outcome.
 */
public final class FederationPages implements Endpoints {
    static final String FLOW_COOKIE = "lk_idp";
    /** Linking another sign-in needs a sign-in this recent (a borrowed, idle session cannot add a way in). */
    static final Duration RECENT_SIGN_IN = Duration.ofMinutes(10);

    private final FederatedSignIn federation;
    private final UserStore users;
    private final HostedPages hosted;
    private final SignInPages signInPages;
    private final Pages pages;
    private final Forms forms;
    private final Cookies cookies;
    private final Requests requests;
    private final Clock clock;
    private final String flowCookie;
    private final RateLimits rateLimits;
    private final RateLimit startsPerIp;

    public FederationPages(FederatedSignIn federation, UserStore users, HostedPages hosted, SignInPages signInPages, Pages pages, Csrf csrf,
                           Cookies cookies, Requests requests, Clock clock, RateLimits rateLimits, RateLimit startsPerIp) {
        this.rateLimits = rateLimits;
        this.startsPerIp = startsPerIp;
        this.federation = federation;
        this.users = users;
        this.hosted = hosted;
        this.signInPages = signInPages;
        this.pages = pages;
        this.forms = new Forms(requests, csrf);
        this.cookies = cookies;
        this.requests = requests;
        this.clock = clock;
        this.flowCookie = cookies.hostName(FLOW_COOKIE);
        signInPages.attachProviders(federation.providers());
    }

    /** The link that starts a sign-in with {@code provider} and comes back to {@code returnTo}. */
    public static String startHref(String provider, String returnTo) {
        return "/login/idp/" + provider + "?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/login/idp/callback", signInPages.page(ctx -> callback(ctx, false)));
        // response_mode=form_post (OAuth 2.0 Form Post Response Mode §2; Sign in with Apple uses it)
        r.post("/login/idp/callback", signInPages.page(ctx -> callback(ctx, true)));
        r.get("/login/idp/{name}", signInPages.page(this::start));
        r.post("/account/identities/link", signInPages.page(this::link));
        r.post("/account/identities/unlink", signInPages.page(this::unlink));
    }

    void start(Context ctx) {
        String name = ctx.pathParam("name");
        String returnTo = ReturnTo.sanitize(Forms.query(ctx, "return_to", 4096));
        if (federation.providers().find(name).filter(IdentityProvider::enabled).isEmpty()) {
            refusal(ctx, 404, "Unknown sign-in provider", "There is no sign-in provider of that name here.",
                    "/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
            return;
        }
        // every start stores a flow: counted like sign-in attempts (ratelimit.login_per_ip)
        rateLimits.check("login-ip", requests.context(ctx).ip(), startsPerIp);
        redirect(ctx, federation.begin(name, UpstreamFlow.Purpose.SIGN_IN, null, returnTo, binding(ctx)).redirect().toString());
    }

    void callback(Context ctx, boolean formPost) {
        FederatedSignIn.Callback cb = new FederatedSignIn.Callback(param(ctx, "state", 200, formPost), param(ctx, "code", 4096, formPost),
                param(ctx, "error", 200, formPost), hosted.currentSession(ctx).map(Session::userId).orElse(null));
        RequestContext rc = requests.context(ctx);
        FederatedSignIn.Outcome outcome = federation.complete(cb, Cookies.read(ctx, flowCookie), rc);
        switch (outcome) {
            case FederatedSignIn.Outcome.Authenticated a -> signInPages.finish(ctx, a.outcome(), ReturnTo.sanitize(a.returnTo()), rc);
            case FederatedSignIn.Outcome.Linked l -> redirect(ctx, "/account?done=identity-linked");
            case FederatedSignIn.Outcome.LinkRequired l -> refusal(ctx, 409, "You already have an account",
                    "An account with the e-mail address of this " + l.providerLabel() + " account already exists. Sign in to it the way you "
                            + "usually do, then link " + l.providerLabel() + " on your account page.",
                    "/login?return_to=%2Faccount", "Sign in to your account");
            case FederatedSignIn.Outcome.Refused f -> refusal(ctx, status(f.reason()), title(f.reason()), f.userMessage(),
                    "/login?return_to=" + URLEncoder.encode(ReturnTo.sanitize(f.returnTo()), StandardCharsets.UTF_8));
        }
    }

    void link(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            redirect(ctx, "/login?return_to=%2Faccount");
            return;
        }
        if (!forms.valid(ctx)) {
            refusal(ctx, 403, "Linking failed", "Your form expired. Please try again.", "/account");
            return;
        }
        String provider = Forms.field(ctx, "provider", 40);
        if (cur.get().authTime().plus(RECENT_SIGN_IN).isBefore(clock.instant())) {
            redirect(ctx, "/login?prompt=login&notice=reauth&return_to=%2Faccount");
            return;
        }
        if (federation.providers().find(provider).filter(IdentityProvider::enabled).isEmpty()) {
            refusal(ctx, 404, "Unknown sign-in provider", "There is no sign-in provider of that name here.", "/account");
            return;
        }
        redirect(ctx, federation.begin(provider, UpstreamFlow.Purpose.LINK, cur.get().userId(), "/account", binding(ctx)).redirect().toString());
    }

    void unlink(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            redirect(ctx, "/login?return_to=%2Faccount");
            return;
        }
        if (!forms.valid(ctx)) {
            refusal(ctx, 403, "Unlinking failed", "Your form expired. Please try again.", "/account");
            return;
        }
        User u = users.findById(cur.get().userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.UNAUTHENTICATED, "user gone"));
        try {
            federation.unlink(u, Forms.field(ctx, "provider", 100), Forms.field(ctx, "subject", 255), requests.context(ctx));
        } catch (LatchkeyException e) {
            if (e.code().httpStatus() >= 500) {
                throw e;
            }
            refusal(ctx, e.code().httpStatus(), "Not unlinked", e.publicMessage(), "/account");
            return;
        }
        redirect(ctx, "/account?done=identity-unlinked");
    }

    /** This browser's flow binding: the cookie's value, set fresh when absent. */
    private String binding(Context ctx) {
        String existing = Cookies.read(ctx, flowCookie);
        String b = existing != null && existing.length() == 43 ? existing : RandomTokens.token();
        // SameSite=None (with Secure) so a form_post callback from the provider's site carries it; the binding is no
        // ambient authority: a callback counts only with the state of a flow this same browser started
        cookies.set(ctx, flowCookie, b, "/", FederatedSignIn.FLOW_TTL, cookies.secure() ? Cookies.SameSite.NONE : Cookies.SameSite.LAX);
        return b;
    }

    private static String param(Context ctx, String name, int max, boolean form) {
        var values = form ? ctx.formParams(name) : ctx.queryParams(name);
        if (values.size() > 1) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The parameter '" + name + "' was sent twice.", "duplicate parameter");
        }
        String v = values.isEmpty() ? null : values.get(0);
        if (v != null && v.length() > max) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The parameter '" + name + "' is too long.", "oversized parameter");
        }
        return v;
    }

    private static int status(FederatedSignIn.Reason r) {
        return switch (r) {
            case BAD_STATE, EXPIRED, CANCELLED, PROVIDER_ERROR -> 400;
            case PROVIDER_GONE -> 404;
            case NO_EMAIL, DOMAIN_NOT_ALLOWED, NO_ACCOUNT, LINKED_ELSEWHERE, ACCOUNT_GONE -> 403;
        };
    }

    private static String title(FederatedSignIn.Reason r) {
        return switch (r) {
            case EXPIRED -> "Your sign-in has expired";
            case CANCELLED -> "Sign-in cancelled";
            default -> "Sign-in did not work";
        };
    }

    private void refusal(Context ctx, int status, String title, String message, String back) {
        refusal(ctx, status, title, message, back, "Back to sign-in");
    }

    private void refusal(Context ctx, int status, String title, String message, String back, String backLabel) {
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, status, "idp-error.jte", new PageModels.Refusal(title, message, back, backLabel, HttpApp.trace(ctx).traceId()));
    }

    private static void redirect(Context ctx, String location) {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(location, "POST".equals(ctx.method().name()) ? HttpStatus.SEE_OTHER : HttpStatus.FOUND);
    }
}
