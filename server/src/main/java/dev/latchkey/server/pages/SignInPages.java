package dev.latchkey.server.pages;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.EmailVerification;
import dev.latchkey.core.account.Registration;
import dev.latchkey.core.account.PasswordReset;
import dev.latchkey.core.account.User;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.LoginFlow;
import dev.latchkey.core.authn.MagicLinks;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.identity.IdentityProviders;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.MailFlowPolicy;
import dev.latchkey.core.mail.MailTokens;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.HttpApp;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hosted pages of the login flow beyond the password form: passwordless sign-in by mailed link
 * and code, e-mail verification, "forgot password". Requests that mail an address answer the same
 * whether an account has it or not, and do the lookup and the mailing off the request thread, so
 * the timing is the same too.
 */
public final class SignInPages {
    private static final Logger LOG = LoggerFactory.getLogger(SignInPages.class);
    static final String BINDING_COOKIE = "lk_mail";

    /** What the pages need of the e-mail side. */
    public record Mail(LoginFlow flow, EmailVerification verification, PasswordReset reset, MagicLinks magicLinks, Registration registration,
                       MailFlowPolicy policy, boolean available, RateLimit perAddress, RateLimit perIp, Executor background) {
    }

    private final Mail mail;
    private final Pages pages;
    private final Forms forms;
    private final Cookies cookies;
    private final Requests requests;
    private final RateLimits rateLimits;
    private final int minPasswordLength;
    private final String bindingCookie;
    private HostedPages hosted;
    private MfaPages mfa;
    private volatile IdentityProviders providers;
    private final PasswordResetPages resetPages;

    public SignInPages(Mail mail, Pages pages, Csrf csrf, Cookies cookies, Requests requests, RateLimits rateLimits, int minPasswordLength) {
        this.mail = mail;
        this.pages = pages;
        this.forms = new Forms(requests, csrf);
        this.cookies = cookies;
        this.requests = requests;
        this.rateLimits = rateLimits;
        this.minPasswordLength = minPasswordLength;
        this.bindingCookie = cookies.hostName(BINDING_COOKIE);
        this.resetPages = new PasswordResetPages(this, mail, pages, forms, requests, minPasswordLength);
    }

    HostedPages hosted() {
        return hosted;
    }

    void attach(HostedPages hostedPages) {
        this.hosted = hostedPages;
    }

    /** The second-factor pages, when the server has them. */
    Optional<MfaPages> mfa() {
        return Optional.ofNullable(mfa);
    }

    void attach(MfaPages mfaPages) {
        this.mfa = mfaPages;
    }

    LoginFlow flow() {
        return mail.flow();
    }

    PageModels.SignInOptions options(String returnTo) {
        List<PageModels.ProviderButton> buttons = providers == null ? List.of() : providers.enabled().stream()
                .map(p -> new PageModels.ProviderButton(p.name(), p.label(), FederationPages.startHref(p.name(), returnTo))).toList();
        return new PageModels.SignInOptions(mail.magicLinks().enabled(), mail.reset().enabled(), mail.available(), buttons);
    }

    /** The upstream providers whose buttons the sign-in page shows (none until {@link FederationPages} attaches them). */
    void attachProviders(IdentityProviders p) {
        this.providers = p;
    }

    void register(RoutesConfig r) {
        resetPages.register(r);
        r.get("/verify-email", page(this::verifyEmail));
        r.post("/verify-email/resend", page(this::resendVerification));
        r.get("/login/email", page(this::linkRequestPage));
        r.post("/login/email", page(this::linkRequest));
        r.post("/login/code", page(this::code));
        r.get("/login/link", page(this::openLink));
        r.post("/login/link", page(this::confirmLink));
    }

    /** The fixed notices /login shows after a redirect (never reflected input). */
    static String loginNotice(String key) {
        if (key == null) {
            return null;
        }
        return switch (key) {
            case "password-reset" -> "Your password was changed and every session signed out. Sign in with the new password.";
            case "email-changed" -> "Your e-mail address was changed and every session signed out. Sign in with the new address.";
            case "verified" -> "Your e-mail address is confirmed. Sign in to continue.";
            case "reauth" -> "Sign in again to link another way of signing in.";
            default -> null;
        };
    }

    /** Ends a step of the login flow in the browser: a session and the return path, the mail step, or the form again. */
    void finish(Context ctx, SignInOutcome outcome, String returnTo, RequestContext rc) {
        finish(ctx, outcome, returnTo, rc, true);
    }

    private void finish(Context ctx, SignInOutcome outcome, String returnTo, RequestContext rc, boolean mailAgain) {
        switch (outcome) {
            case SignInOutcome.SignedIn s -> {
                hosted.signIn(ctx, s.user(), s.authentication().storedAmr(), rc);
                ctx.header("Cache-Control", "no-store");
                ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
            }
            case SignInOutcome.StepNeeded n when n.factors().contains(Factor.MAIL_LINK) -> {
                if (mailAgain) {
                    sendVerification(ctx, n.user(), rc);
                }
                pages.render(ctx, 200, "mail-form.jte", new PageModels.MailForm(forms.token(ctx), "Confirm your e-mail address",
                        n.userMessage(), "/verify-email/resend", "email", n.user().email().value(), returnTo, "Send the link again", null));
            }
            case SignInOutcome.StepNeeded n when mfa != null -> mfa.challenge(ctx, n, returnTo);
            case SignInOutcome.StepNeeded n -> error(ctx, 403, "Another step is needed",
                    "This account needs a sign-in step this page cannot offer.");
            case SignInOutcome.Failed f -> hosted.renderLogin(ctx, f.code().httpStatus() == 401 ? 200 : f.code().httpStatus(), returnTo,
                    "", f.userMessage(), null);
        }
    }

    /** After a password sign-up: the verification mail (bound to this browser), then the flow decides. */
    void signedUp(Context ctx, User user, String returnTo, RequestContext rc) {
        sendVerification(ctx, user, rc);
        finish(ctx, mail.flow().signedUp(user, rc), returnTo, rc, false);
    }

    Registration registration() {
        return mail.registration();
    }

    /**
     * The answer to a sign-up whose address has an account, while that is concealed: the page a new
     * account gets (the binding cookie included, under the same per-address limit), while the owner
     * was mailed a notice instead of a link.
     */
    void signedUpExisting(Context ctx, Registration.ExistingAddress x, String returnTo) {
        try {
            rateLimits.check("mail-address", x.email().value(), mail.perAddress());
            newBinding(ctx, mail.policy().verificationTtl());
        } catch (LatchkeyException e) {
            LOG.info("sign-up for an existing address: address rate limit");
        }
        pages.render(ctx, 200, "mail-form.jte", new PageModels.MailForm(forms.token(ctx), "Confirm your e-mail address",
                LoginFlow.mailStepMessage(x.email()), "/verify-email/resend", "email", x.email().value(), returnTo, "Send the link again", null));
    }

    private void sendVerification(Context ctx, User user, RequestContext rc) {
        if (!mail.verification().enabled() || user.emailVerified()) {
            return;
        }
        try {
            rateLimits.check("mail-address", user.email().value(), mail.perAddress());
        } catch (LatchkeyException e) {
            LOG.info("verification mail for user {} not sent: address rate limit", user.id());
            return;
        }
        String binding = newBinding(ctx, mail.policy().verificationTtl());
        mail.verification().send(user, binding, rc);
    }

    // ---- e-mail verification

    void verifyEmail(Context ctx) {
        RequestContext rc = requests.context(ctx);
        EmailVerification.Verified v = mail.verification().verify(Forms.query(ctx, "token", 64), rc);
        Optional<Session> current = hosted.currentSession(ctx);
        boolean sameBrowser = MailTokens.boundTo(v.token(), Cookies.read(ctx, bindingCookie));
        if (current.isPresent() && current.get().userId().equals(v.user().id())) {
            ctx.redirect("/account?done=verified", HttpStatus.SEE_OTHER);
        } else if (sameBrowser && current.isEmpty()) {
            clearBinding(ctx);
            finish(ctx, mail.flow().mailedLink(v.user(), rc), ReturnTo.DEFAULT, rc, false);
        } else {
            pages.render(ctx, 200, "notice.jte", new PageModels.Notice("Address confirmed",
                    "The e-mail address " + v.user().email().value() + " is confirmed. You can sign in with it now."));
        }
    }

    void resendVerification(Context ctx) {
        String email = Forms.field(ctx, "email", 320);
        String returnTo = ReturnTo.sanitize(Forms.single(ctx, "return_to"));
        if (!forms.valid(ctx)) {
            error(ctx, 403, "Sending failed", "Your form expired. Please try again.");
            return;
        }
        if (!mail.verification().enabled()) {
            throw LatchkeyException.of(ErrorCode.MAIL_UNAVAILABLE, "verification resend without mail");
        }
        Optional<EmailAddress> address = parse(email);
        RequestContext rc = requests.context(ctx);
        if (address.isPresent()) {
            limitMail(rc, address.get());
            String binding = newBinding(ctx, mail.policy().verificationTtl());
            inBackground("verification", () -> mail.verification().resend(address.get(), binding, rc));
        }
        pages.render(ctx, 200, "mail-form.jte", new PageModels.MailForm(forms.token(ctx), "Check your mail",
                "If " + (address.map(EmailAddress::value).orElse("this address")) + " still needs confirming, a new link is on its way.",
                "/verify-email/resend", "email", address.map(EmailAddress::value).orElse(""), returnTo, "Send the link again", null));
    }

    // ---- sign-in links

    void linkRequestPage(Context ctx) {
        requireMagicLinks();
        renderEmailForm(ctx, 200, linkForm(ctx, ReturnTo.sanitize(ctx.queryParam("return_to")), Forms.query(ctx, "login_hint", 320), null));
    }

    void linkRequest(Context ctx) {
        requireMagicLinks();
        String email = Forms.field(ctx, "email", 320);
        String returnTo = ReturnTo.sanitize(Forms.single(ctx, "return_to"));
        if (!forms.valid(ctx)) {
            renderEmailForm(ctx, 403, linkForm(ctx, returnTo, email, "Your form expired. Please try again."));
            return;
        }
        Optional<EmailAddress> address = parse(email);
        if (address.isEmpty()) {
            renderEmailForm(ctx, 400, linkForm(ctx, returnTo, email, ErrorCode.INVALID_EMAIL.description()));
            return;
        }
        RequestContext rc = requests.context(ctx);
        limitMail(rc, address.get());
        String binding = newBinding(ctx, mail.policy().signInTtl());
        inBackground("sign-in link", () -> mail.magicLinks().request(address.get(), binding, returnTo, rc));
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, 200, "code.jte", new PageModels.CodeForm(forms.token(ctx), address.get().value(), returnTo, null));
    }

    private PageModels.EmailForm linkForm(Context ctx, String returnTo, String email, String error) {
        return new PageModels.EmailForm(forms.token(ctx), "Sign in with a link",
                "We will mail you a link that signs you in on this browser, and a code to type here if you read the mail elsewhere.",
                "/login/email", returnTo, email, error, "Mail me a sign-in link");
    }

    void code(Context ctx) {
        requireMagicLinks();
        String code = Forms.field(ctx, "code", 20);
        String email = Forms.field(ctx, "email", 320);
        String returnTo = ReturnTo.sanitize(Forms.single(ctx, "return_to"));
        if (!forms.valid(ctx)) {
            pages.render(ctx, 403, "code.jte", new PageModels.CodeForm(forms.token(ctx), email, returnTo, "Your form expired. Please try again."));
            return;
        }
        RequestContext rc = requests.context(ctx);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        MagicLinks.Opened.Completed done;
        try {
            done = mail.magicLinks().code(Cookies.read(ctx, bindingCookie), code, rc);
        } catch (LatchkeyException e) {
            if (e.code() != ErrorCode.MAIL_CODE_INVALID) {
                throw e;
            }
            pages.render(ctx, 400, "code.jte", new PageModels.CodeForm(forms.token(ctx), email, returnTo, e.publicMessage()));
            return;
        }
        clearBinding(ctx);
        finish(ctx, done.outcome(), ReturnTo.sanitize(done.returnTo()), rc, false);
    }

    void openLink(Context ctx) {
        requireMagicLinks();
        String token = Forms.query(ctx, "token", 64);
        RequestContext rc = requests.context(ctx);
        switch (mail.magicLinks().open(token, Cookies.read(ctx, bindingCookie), rc)) {
            case MagicLinks.Opened.Completed done -> {
                clearBinding(ctx);
                finish(ctx, done.outcome(), ReturnTo.sanitize(done.returnTo()), rc, false);
            }
            case MagicLinks.Opened.ConfirmationNeeded c -> {
                ctx.header("Cache-Control", "no-store");
                pages.render(ctx, 200, "mail-form.jte", new PageModels.MailForm(forms.token(ctx), "Sign in on this device?",
                        "This sign-in link for " + c.maskedEmail() + " was asked for on another browser or device. "
                                + "Sign in here only if you asked for it yourself.",
                        "/login/link", "token", token, ReturnTo.DEFAULT, "Sign in on this device", null));
            }
        }
    }

    void confirmLink(Context ctx) {
        requireMagicLinks();
        String token = Forms.field(ctx, "token", 64);
        if (!forms.valid(ctx)) {
            error(ctx, 403, "Sign-in failed", "Your form expired. Open the link from the mail again.");
            return;
        }
        RequestContext rc = requests.context(ctx);
        MagicLinks.Opened.Completed done = mail.magicLinks().confirm(token, rc);
        finish(ctx, done.outcome(), ReturnTo.sanitize(done.returnTo()), rc, false);
    }

    // ---- helpers

    void limitMail(RequestContext rc, EmailAddress address) {
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        rateLimits.check("mail-address", address.value(), mail.perAddress());
    }

    private String newBinding(Context ctx, Duration ttl) {
        String existing = Cookies.read(ctx, bindingCookie);
        String binding = existing != null && existing.length() == 43 ? existing : RandomTokens.token();
        cookies.set(ctx, bindingCookie, binding, "/", ttl, Cookies.SameSite.LAX);
        return binding;
    }

    private void clearBinding(Context ctx) {
        if (Cookies.read(ctx, bindingCookie) != null) {
            cookies.clear(ctx, bindingCookie, "/", Cookies.SameSite.LAX);
        }
    }

    void inBackground(String what, Runnable work) {
        mail.background().execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.warn("{} mail failed: {}", what, e.getMessage());
            }
        });
    }

    private void requireMagicLinks() {
        if (!mail.available()) {
            throw LatchkeyException.withMessage(ErrorCode.MAIL_UNAVAILABLE,
                    "Sign-in links are not available: this server is not set up to send mail.", "no mail");
        }
        if (!mail.magicLinks().enabled()) {
            throw LatchkeyException.withMessage(ErrorCode.FEATURE_DISABLED, "Sign-in links are turned off on this server.", "magic links off");
        }
    }

    void renderEmailForm(Context ctx, int status, PageModels.EmailForm form) {
        pages.render(ctx, status, "email-form.jte", form);
    }

    void error(Context ctx, int status, String title, String message) {
        pages.render(ctx, status, "error.jte", new PageModels.ErrorPage(title, message, HttpApp.trace(ctx).traceId()));
    }

    /** Errors of these pages are pages too (never a JSON problem, never a 5xx for bad input). */
    Handler page(Handler h) {
        return ctx -> {
            try {
                h.handle(ctx);
            } catch (LatchkeyException e) {
                if (e.code().httpStatus() >= 500 && e.code() != ErrorCode.MAIL_UNAVAILABLE && e.code() != ErrorCode.SERVICE_UNAVAILABLE) {
                    throw e;
                }
                if (e.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
                }
                LOG.info("hosted page {} refused: {} ({})", ctx.path(), e.code().wireName(), e.getMessage());
                error(ctx, e.code().httpStatus(), title(e.code()), e.publicMessage());
            }
        };
    }

    private static String title(ErrorCode code) {
        return switch (code) {
            case MAIL_TOKEN_INVALID, MAIL_TOKEN_EXPIRED, MAIL_TOKEN_USED -> "This link cannot be used";
            case RATE_LIMITED -> "Too many requests";
            case MAIL_UNAVAILABLE, FEATURE_DISABLED -> "Not available";
            default -> "This did not work";
        };
    }

    static Optional<EmailAddress> parse(String raw) {
        try {
            return Optional.of(EmailAddress.parse(raw));
        } catch (LatchkeyException e) {
            return Optional.empty();
        }
    }

    static String minutes(Duration d) {
        long m = d.toMinutes();
        if (m >= 120 && m % 60 == 0) {
            return (m / 60) + " hours";
        }
        return m == 1 ? "1 minute" : m + " minutes";
    }
}
