package dev.latchkey.server.firstparty;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.Registration;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.LoginFlow;
import dev.latchkey.core.authn.MagicLinks;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import dev.latchkey.server.pages.SignInPages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-party API's side of the login flow and the e-mail flows (under {@code /api/auth}):
 * sign-in outcomes as tokens or problems, password reset, sign-in links and codes, e-mail
 * verification and change, the profile. Requests that mail an address answer 202 with the same body
 * whether an account has it or not, and look it up off the request thread.
 */
public final class FirstPartySignIn {
    private static final Logger LOG = LoggerFactory.getLogger(FirstPartySignIn.class);
    static final String BINDING_COOKIE = "lk_mail";
    private static final String SENT = "If an account has this address, we sent a mail to it.";

    private final SignInPages.Mail mail;
    private final AccountService accounts;
    private final dev.latchkey.core.account.EmailChange emailChange;
    private final JsonBodies bodies;
    private final JsonResponses json;
    private final Cookies cookies;
    private final Requests requests;
    private final RateLimits rateLimits;
    private final String bindingCookie;
    private FirstPartyAuthApi api;
    private FirstPartyMfa mfa;

    public FirstPartySignIn(SignInPages.Mail mail, AccountService accounts, dev.latchkey.core.account.EmailChange emailChange,
                            JsonBodies bodies, Cookies cookies, Requests requests, RateLimits rateLimits) {
        this.mail = mail;
        this.accounts = accounts;
        this.emailChange = emailChange;
        this.bodies = bodies;
        this.json = new JsonResponses(bodies.mapper());
        this.cookies = cookies;
        this.requests = requests;
        this.rateLimits = rateLimits;
        this.bindingCookie = cookies.pathName(BINDING_COOKIE);
    }

    void attach(FirstPartyAuthApi firstParty) {
        this.api = firstParty;
        if (mfa != null) {
            mfa.attach(firstParty);
        }
    }

    /** Offers the second step ({@code /api/auth/mfa}) with these factors. */
    public FirstPartySignIn withMfa(dev.latchkey.server.MfaServices services) {
        this.mfa = new FirstPartyMfa(services, accounts, bodies, cookies, requests);
        return this;
    }

    LoginFlow flow() {
        return mail.flow();
    }

    record EmailBody(String email) {
    }

    record ResetBody(String token, String new_password) {
    }

    record LinkBody(String token, String code) {
    }

    record TokenBody(String token) {
    }

    record NameBody(String name) {
    }

    record EmailChangeBody(String new_email, String current_password) {
    }

    void register(RoutesConfig r) {
        String p = FirstPartyAuthApi.PATH;
        r.post(p + "/password/forgot", this::forgot);
        r.post(p + "/password/reset", this::reset);
        r.post(p + "/magic-link", this::magicLink);
        r.post(p + "/magic-link/verify", this::magicLinkVerify);
        r.post(p + "/email/verify", this::verifyEmail);
        r.post(p + "/email/verification", this::resendVerification);
        r.post(p + "/email", this::changeEmail);
        r.post(p + "/email/confirm", this::confirmEmail);
        r.patch(p + "/me", this::updateMe);
        if (mfa != null) {
            mfa.register(r);
        }
    }

    /** A step's outcome as the API answers it: tokens, or a problem saying what is missing or wrong. */
    void finish(Context ctx, SignInOutcome outcome, RequestContext rc) {
        switch (outcome) {
            case SignInOutcome.SignedIn s -> api.startSession(ctx, s.user(), s.authentication().storedAmr(), rc);
            case SignInOutcome.StepNeeded n when n.factors().contains(Factor.MAIL_LINK) -> {
                // the password was right: mail a fresh link (within the address's limit), then say what is missing
                if (mail.verification().enabled()) {
                    try {
                        rateLimits.check("mail-address", n.user().email().value(), mail.perAddress());
                        mail.verification().send(n.user(), null, rc);
                    } catch (LatchkeyException limited) {
                        LOG.info("verification mail for user {} not sent: {}", n.user().id(), limited.getMessage());
                    }
                }
                throw LatchkeyException.withMessage(ErrorCode.EMAIL_NOT_VERIFIED, n.userMessage(), "sign-in before verification");
            }
            case SignInOutcome.StepNeeded n when mfa != null -> mfa.stepNeeded(ctx, n);
            case SignInOutcome.StepNeeded n -> throw LatchkeyException.withMessage(ErrorCode.STEP_REQUIRED, n.userMessage(),
                    "further factor needed: " + n.factors());
            case SignInOutcome.Failed f -> throw f.toException();
        }
    }

    /** After an API sign-up: the verification mail, then tokens (201) or, when verification is required, 202. */
    /** A sign-up: a taken address is answered like a new one while {@link Registration} conceals it. */
    void signup(Context ctx, SignupRequest request, RequestContext rc) {
        switch (mail.registration().signup(request, rc)) {
            case Registration.Created c -> {
                ctx.status(201);
                signedUp(ctx, c.user(), rc);
            }
            case Registration.ExistingAddress x -> verificationPending(ctx, x.decoyId(), LoginFlow.mailStepMessage(x.email()));
        }
    }

    void signedUp(Context ctx, User user, RequestContext rc) {
        if (mail.verification().enabled()) {
            mail.verification().send(user, null, rc);
        }
        SignInOutcome outcome = mail.flow().signedUp(user, rc);
        if (outcome instanceof SignInOutcome.StepNeeded n && n.factors().contains(Factor.MAIL_LINK)) {
            verificationPending(ctx, user.id(), n.userMessage());
            return;
        }
        finish(ctx, outcome, rc);
    }

    private void verificationPending(Context ctx, java.util.UUID id, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id.toString());
        out.put("email_verification_required", true);
        out.put("message", message);
        json.write(ctx, 202, out);
    }

    void forgot(Context ctx) {
        requireMail(mail.reset().enabled(), "Password reset by e-mail");
        RequestContext rc = requests.context(ctx);
        EmailAddress address = address(bodies.read(ctx, EmailBody.class).email(), rc);
        inBackground("password reset", () -> mail.reset().request(address, rc));
        accepted(ctx);
    }

    void reset(Context ctx) {
        requireMail(mail.reset().enabled(), "Password reset by e-mail");
        RequestContext rc = requests.context(ctx);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        ResetBody body = bodies.read(ctx, ResetBody.class);
        JsonBodies.required(body.token(), "token");
        JsonBodies.required(body.new_password(), "new_password");
        JsonBodies.bounded(body.token(), "token", 64);
        JsonBodies.bounded(body.new_password(), "new_password", 1024);
        mail.reset().reset(body.token(), body.new_password(), rc);
        ctx.header("Cache-Control", "no-store");
        ctx.status(204);
    }

    void magicLink(Context ctx) {
        requireMail(mail.magicLinks().enabled(), "Sign-in links");
        RequestContext rc = requests.context(ctx);
        EmailAddress address = address(bodies.read(ctx, EmailBody.class).email(), rc);
        String binding = RandomTokens.token();
        cookies.set(ctx, bindingCookie, binding, FirstPartyAuthApi.PATH, mail.policy().signInTtl(), Cookies.SameSite.STRICT);
        inBackground("sign-in link", () -> mail.magicLinks().request(address, binding, null, rc));
        accepted(ctx);
    }

    void magicLinkVerify(Context ctx) {
        requireMail(mail.magicLinks().enabled(), "Sign-in links");
        RequestContext rc = requests.context(ctx);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        LinkBody body = bodies.read(ctx, LinkBody.class);
        if ((body.token() == null) == (body.code() == null)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Send either \"token\" (from the link) or \"code\".",
                    "magic-link verify with neither or both");
        }
        MagicLinks.Opened.Completed done;
        if (body.code() != null) {
            api.requireSameSite(ctx);
            JsonBodies.bounded(body.code(), "code", 20);
            done = mail.magicLinks().code(Cookies.read(ctx, bindingCookie), body.code(), rc);
        } else {
            JsonBodies.bounded(body.token(), "token", 64);
            done = mail.magicLinks().confirm(body.token(), rc);
        }
        cookies.clear(ctx, bindingCookie, FirstPartyAuthApi.PATH, Cookies.SameSite.STRICT);
        finish(ctx, done.outcome(), rc);
    }

    void verifyEmail(Context ctx) {
        RequestContext rc = requests.context(ctx);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        TokenBody body = bodies.read(ctx, TokenBody.class);
        JsonBodies.required(body.token(), "token");
        JsonBodies.bounded(body.token(), "token", 64);
        User u = mail.verification().verify(body.token(), rc).user();
        json.write(ctx, 200, Map.of("email", u.email().value(), "email_verified", u.emailVerified()));
    }

    void resendVerification(Context ctx) {
        BearerAuth.Caller caller = api.authenticated(ctx);
        requireMail(mail.verification().enabled(), "E-mail verification");
        User u = accounts.get(caller.userId());
        rateLimits.check("mail-address", u.email().value(), mail.perAddress());
        boolean sent = mail.verification().send(u, null, requests.context(ctx));
        json.write(ctx, 202, Map.of("sent", sent, "email_verified", u.emailVerified()));
    }

    /** 403 recent_mfa_required when the caller has a second factor but did not complete one recently. */
    void requireRecentFactor(BearerAuth.Caller caller) {
        if (mfa != null) {
            mfa.requireRecent(caller);
        }
    }

    void changeEmail(Context ctx) {
        BearerAuth.Caller caller = api.authenticated(ctx);
        requireRecentFactor(caller);
        requireMail(emailChange.enabled(), "Changing the e-mail address");
        RequestContext rc = requests.context(ctx);
        EmailChangeBody body = bodies.read(ctx, EmailChangeBody.class);
        JsonBodies.required(body.new_email(), "new_email");
        JsonBodies.bounded(body.new_email(), "new_email", 320);
        JsonBodies.bounded(body.current_password(), "current_password", 1024);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        rateLimits.check("mail-address", body.new_email().strip().toLowerCase(java.util.Locale.ROOT), mail.perAddress());
        EmailAddress to = emailChange.request(caller.userId(), body.new_email(), body.current_password(), rc);
        json.write(ctx, 202, Map.of("message", "We sent a confirmation link to " + to.value() + ". The address changes when it is opened."));
    }

    void confirmEmail(Context ctx) {
        requireMail(emailChange.enabled(), "Changing the e-mail address");
        RequestContext rc = requests.context(ctx);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        TokenBody body = bodies.read(ctx, TokenBody.class);
        JsonBodies.required(body.token(), "token");
        JsonBodies.bounded(body.token(), "token", 64);
        User u = emailChange.confirm(body.token(), rc);
        json.write(ctx, 200, Map.of("email", u.email().value(), "email_verified", u.emailVerified()));
    }

    void updateMe(Context ctx) {
        BearerAuth.Caller caller = api.authenticated(ctx);
        NameBody body = bodies.read(ctx, NameBody.class);
        JsonBodies.bounded(body.name(), "name", 400);
        User u = accounts.rename(caller.userId(), body.name(), requests.context(ctx));
        api.writeMe(ctx, u, caller);
    }

    private EmailAddress address(String raw, RequestContext rc) {
        JsonBodies.required(raw, "email");
        JsonBodies.bounded(raw, "email", 320);
        EmailAddress address = EmailAddress.parse(raw);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        rateLimits.check("mail-address", address.value(), mail.perAddress());
        return address;
    }

    private void accepted(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 202, Map.of("message", SENT));
    }

    private void requireMail(boolean enabled, String what) {
        if (!mail.available()) {
            throw LatchkeyException.withMessage(ErrorCode.MAIL_UNAVAILABLE, what + " is not available: this server is not set up to send mail.", "no mail");
        }
        if (!enabled) {
            throw LatchkeyException.withMessage(ErrorCode.FEATURE_DISABLED, what + " is turned off on this server.", "feature off");
        }
    }

    private void inBackground(String what, Runnable work) {
        Executor ex = mail.background();
        ex.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("{} mail failed: {}", what, e.getMessage());
            }
        });
    }
}
