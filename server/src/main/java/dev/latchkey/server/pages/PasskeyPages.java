package dev.latchkey.server.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.LoginFlow;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.credential.passkey.PasskeyCredential;
import dev.latchkey.core.credential.passkey.PasskeyService;
import dev.latchkey.core.credential.passkey.VerifiedPasskey;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The passkey ceremonies of the hosted pages, as small JSON calls made by {@code /assets/passkeys.js}:
 * options for {@code navigator.credentials.create()} and {@code get()}, and the responses back.
 * Each call must come from our own pages (the Origin, and the page's CSRF token in {@code X-CSRF});
 * the challenges are bound to this browser by a {@code __Host-} cookie. A passwordless sign-in goes
 * through the login flow and starts a session exactly like a password does, then the page follows
 * the returned path (the authorize request it came from, for an OIDC client).
 */
public final class PasskeyPages implements Endpoints {
    static final String BINDING_COOKIE = "lk_passkey";

    /** What the passkey calls need. */
    public record Services(PasskeyService passkeys, LoginFlow flow, RateLimit optionsPerIp, RateLimit signInPerIp) {
    }

    private final Services s;
    private final HostedPages hosted;
    private final Csrf csrf;
    private final Cookies cookies;
    private final Requests requests;
    private final RateLimits rateLimits;
    private final JsonBodies bodies;
    private final String bindingCookie;
    private final byte[] script;

    public PasskeyPages(Services services, HostedPages hosted, Csrf csrf, Cookies cookies, Requests requests, RateLimits rateLimits,
                        JsonBodies bodies) {
        this.s = services;
        this.hosted = hosted;
        this.csrf = csrf;
        this.cookies = cookies;
        this.requests = requests;
        this.rateLimits = rateLimits;
        this.bodies = bodies;
        this.bindingCookie = cookies.hostName(BINDING_COOKIE);
        try (InputStream in = PasskeyPages.class.getResourceAsStream("/assets/passkeys.js")) {
            this.script = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the passkey script is missing from the build", e);
        }
    }

    /** The response of the browser's authenticator, and what goes with it. */
    record Registration(String name, JsonNode credential) {
    }

    record Assertion(JsonNode credential, String returnTo) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/account/passkeys/options", this::registrationOptions);
        r.post("/account/passkeys", this::register);
        r.post("/login/passkey/options", this::signInOptions);
        r.post("/login/passkey", this::signIn);
        r.get("/assets/passkeys.js", ctx -> {
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType("text/javascript; charset=utf-8").result(script);
        });
    }

    void registrationOptions(Context ctx) {
        Session cur = signedIn(ctx);
        json(ctx, 200, s.passkeys().beginRegistration(cur.userId(), cur.authTime(), binding(ctx)));
    }

    void register(Context ctx) {
        Session cur = signedIn(ctx);
        Registration body = bodies.read(ctx, Registration.class);
        String name = JsonBodies.bounded(body.name(), "name", PasskeyCredential.MAX_NAME);
        PasskeyCredential c = s.passkeys().finishRegistration(cur.userId(), cur.authTime(), Cookies.read(ctx, bindingCookie),
                credential(body.credential()), name, requests.context(ctx));
        json(ctx, 201, Map.of("id", c.id().toString(), "name", c.name(), "redirect", "/account?done=passkey-added"));
    }

    void signInOptions(Context ctx) {
        sameSite(ctx);
        RequestContext rc = requests.context(ctx);
        rateLimits.check("passkey-options-ip", rc.ip(), s.optionsPerIp());
        json(ctx, 200, s.passkeys().beginSignIn(binding(ctx)));
    }

    void signIn(Context ctx) {
        sameSite(ctx);
        RequestContext rc = requests.context(ctx);
        rateLimits.check("login-ip", rc.ip(), s.signInPerIp());
        Assertion body = bodies.read(ctx, Assertion.class);
        String returnTo = ReturnTo.sanitize(body.returnTo());
        VerifiedPasskey v = s.passkeys().signIn(Cookies.read(ctx, bindingCookie), credential(body.credential()), rc);
        switch (s.flow().passkey(v.userId(), v.step(), rc)) {
            case SignInOutcome.SignedIn done -> {
                hosted.signIn(ctx, done.user(), done.authentication().storedAmr(), rc);
                json(ctx, 200, Map.of("redirect", returnTo));
            }
            case SignInOutcome.StepNeeded n when n.factors().contains(Factor.MAIL_LINK) -> throw LatchkeyException.withMessage(
                    ErrorCode.EMAIL_NOT_VERIFIED, n.userMessage(), "passkey sign-in before the address is verified");
            case SignInOutcome.StepNeeded n -> throw LatchkeyException.of(ErrorCode.STEP_REQUIRED, "passkey sign-in needs " + n.factors());
            case SignInOutcome.Failed f -> throw f.toException();
        }
    }

    /** The browser's binding secret, set (or refreshed) with every set of options. */
    private String binding(Context ctx) {
        String existing = Cookies.read(ctx, bindingCookie);
        String value = existing != null && existing.length() == 43 ? existing : RandomTokens.token();
        cookies.set(ctx, bindingCookie, value, "/", s.passkeys().relyingParty().challengeTtl().multipliedBy(2), Cookies.SameSite.LAX);
        return value;
    }

    private Session signedIn(Context ctx) {
        sameSite(ctx);
        return hosted.currentSession(ctx).orElseThrow(() -> LatchkeyException.of(ErrorCode.UNAUTHENTICATED, "passkey call without a session"));
    }

    /** From our own page: the Origin (when sent) is ours and X-CSRF carries the page's CSRF token. */
    private void sameSite(Context ctx) {
        if (!requests.originAllowed(ctx) || !csrf.valid(ctx, ctx.header("X-CSRF"))) {
            throw LatchkeyException.withMessage(ErrorCode.CSRF_FAILED, "This page expired. Reload it and try again.", "passkey call failed csrf");
        }
    }

    private String credential(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Field 'credential' is required.", "missing credential");
        }
        try {
            return bodies.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw LatchkeyException.wrap(ErrorCode.MALFORMED_REQUEST, "credential", e);
        }
    }

    private void json(Context ctx, int status, Object body) {
        ctx.header("Cache-Control", "no-store");
        try {
            ctx.status(status).contentType("application/json").result(bodies.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers always serialise", e);
        }
    }
}
