package dev.latchkey.server.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.User;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.MfaChallenges;
import dev.latchkey.core.authn.MfaChallenges.Completion;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.credential.passkey.CeremonyOptions;
import dev.latchkey.core.credential.totp.TotpEnrolment;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.session.Session;
import dev.latchkey.server.MfaServices;
import dev.latchkey.server.http.Cookies;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The hosted pages of the second factor: the second step of a sign-in (a code from the authenticator
 * app, a recovery code, or a passkey: the page's script fetches WebAuthn options and posts the
 * assertion in the same form as a code), enrolment when the policy requires a factor the user lacks, and the account's
 * second-factor page (set up and remove the app, new recovery codes). The sign-in's challenge is bound
 * to this browser by the {@value #BINDING_COOKIE} cookie; actions that change factors need a recent
 * second factor ({@link MfaServices#recentEnough}) and otherwise ask for one at {@code /account/confirm}.
 */
public final class MfaPages implements Endpoints {
    static final String BINDING_COOKIE = "lk_mfa";
    /** The longest passkey assertion (JSON) the second-factor form takes. */
    static final int MAX_CREDENTIAL = 16_384;

    private final MfaServices mfa;
    private final AccountService accounts;
    private final HostedPages hosted;
    private final SignInPages signIn;
    private final Pages pages;
    private final Forms forms;
    private final Cookies cookies;
    private final Requests requests;
    private final String bindingCookie;
    private final JsonBodies bodies;

    public MfaPages(MfaServices mfa, AccountService accounts, HostedPages hosted, SignInPages signIn, Pages pages, Csrf csrf,
                    Cookies cookies, Requests requests, JsonBodies bodies) {
        this.bodies = bodies;
        this.mfa = mfa;
        this.accounts = accounts;
        this.hosted = hosted;
        this.signIn = signIn;
        this.pages = pages;
        this.forms = new Forms(requests, csrf);
        this.cookies = cookies;
        this.requests = requests;
        this.bindingCookie = cookies.hostName(BINDING_COOKIE);
        signIn.attach(this);
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/login/mfa", signIn.page(this::verify));
        r.post("/login/mfa/passkey/options", this::passkeyOptions);
        r.post("/login/mfa/enrol", signIn.page(this::enrolDuringSignIn));
        r.get("/account/confirm", signIn.page(this::stepUp));
        r.get("/account/mfa", signIn.page(this::accountPage));
        r.post("/account/mfa/totp", signIn.page(this::beginTotp));
        r.post("/account/mfa/totp/confirm", signIn.page(this::confirmTotp));
        r.post("/account/mfa/totp/remove", signIn.page(this::removeTotp));
        r.post("/account/mfa/recovery", signIn.page(this::regenerate));
    }

    // ---- the second step of a sign-in

    /** A further step of the login flow on this browser: the challenge page, or enrolment when the policy requires it. */
    void challenge(Context ctx, SignInOutcome.StepNeeded step, String returnTo) {
        MfaChallenges.Challenge c = mfa.challenges().issue(step, binding(ctx));
        ctx.header("Cache-Control", "no-store");
        if (c.enrolment()) {
            renderSignInEnrolment(ctx, 200, step.user(), c.token(), returnTo, step.userMessage());
        } else {
            renderChallenge(ctx, 200, c, returnTo, step.userMessage(), null);
        }
    }

    void verify(Context ctx) {
        String returnTo = ReturnTo.sanitize(Forms.single(ctx, "return_to"));
        if (!forms.valid(ctx)) {
            signIn.error(ctx, 403, "Sign-in failed", "Your form expired. Please sign in again.");
            return;
        }
        Factor factor = Factor.fromWire(Forms.field(ctx, "factor", 20)).orElseThrow(
                () -> LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Choose a second factor.", "unknown factor"));
        RequestContext rc = requests.context(ctx);
        String challenge = Forms.field(ctx, "challenge", 64);
        String binding = Cookies.read(ctx, bindingCookie);
        Completion done;
        if (factor == Factor.PASSKEY) {
            String credential = Forms.field(ctx, "credential", MAX_CREDENTIAL);
            if (credential.isBlank()) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                        "Your browser sent no passkey response. Go back and choose \"Use your passkey\" again.", "passkey step without credential");
            }
            done = mfa.passkeys().complete(challenge, binding, credential, rc);
        } else {
            done = mfa.challenges().complete(challenge, binding, factor, Forms.field(ctx, "code", 20), rc);
        }
        end(ctx, done, returnTo, rc, false);
    }

    /**
     * {@code POST /login/mfa/passkey/options} (form fields {@code csrf}, {@code challenge}, sent by
     * {@code /assets/passkeys.js}): the {@code navigator.credentials.get()} options for the user of this
     * browser's live challenge, allowCredentials listing that user's passkeys (WebAuthn §5.5). Spends nothing.
     */
    void passkeyOptions(Context ctx) {
        if (!forms.valid(ctx)) {
            throw LatchkeyException.withMessage(ErrorCode.CSRF_FAILED, "This page expired. Sign in again.", "passkey options failed csrf");
        }
        CeremonyOptions.Request options = mfa.passkeys().options(Forms.field(ctx, "challenge", 64), Cookies.read(ctx, bindingCookie));
        ctx.header("Cache-Control", "no-store");
        try {
            ctx.status(200).contentType("application/json").result(bodies.mapper().writeValueAsBytes(options));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers always serialise", e);
        }
    }

    void enrolDuringSignIn(Context ctx) {
        String returnTo = ReturnTo.sanitize(Forms.single(ctx, "return_to"));
        if (!forms.valid(ctx)) {
            signIn.error(ctx, 403, "Sign-in failed", "Your form expired. Please sign in again.");
            return;
        }
        RequestContext rc = requests.context(ctx);
        Completion done = mfa.challenges().complete(Forms.field(ctx, "challenge", 64), Cookies.read(ctx, bindingCookie), Factor.TOTP,
                Forms.field(ctx, "code", 20), rc);
        end(ctx, done, returnTo, rc, true);
    }

    private void end(Context ctx, Completion done, String returnTo, RequestContext rc, boolean enrolling) {
        switch (done) {
            case Completion.Retry retry -> {
                String error = retry.check().status().errorCode().description();
                if (retry.next().enrolment()) {
                    User u = accounts.get(mfa.challenges().peek(retry.next().token(), Cookies.read(ctx, bindingCookie)).orElseThrow().userId());
                    renderEnrolment(ctx, 400, "/login/mfa/enrol", retry.next().token(), returnTo,
                            mfa.totp().pending(u).orElseGet(() -> mfa.totp().begin(u)), error);
                } else {
                    renderChallenge(ctx, 400, retry.next(), returnTo, "Confirm it is you with your second factor.", error);
                }
            }
            case Completion.Done d when d.outcome() instanceof SignInOutcome.SignedIn s -> {
                clearBinding(ctx);
                hosted.signIn(ctx, s.user(), s.authentication().storedAmr(), rc);
                ctx.header("Cache-Control", "no-store");
                if (enrolling) {
                    showRecoveryCodes(ctx, s.user(), returnTo, "Your authenticator app is set up. These recovery codes get you in if you lose it.",
                            rc);
                } else if (d.factor() == Factor.RECOVERY_CODE) {
                    pages.render(ctx, 200, "recovery-used.jte", new MfaModels.RecoveryUsed(mfa.recovery().remaining(s.user().id()), returnTo));
                } else {
                    ctx.redirect(returnTo, HttpStatus.SEE_OTHER);
                }
            }
            case Completion.Done d -> signIn.finish(ctx, d.outcome(), returnTo, rc);
        }
    }

    /** {@code /account/confirm?return_to=…}: a signed-in user confirms a second factor again before a sensitive action. */
    void stepUp(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        String returnTo = ReturnTo.sanitize(ctx.queryParam("return_to"));
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), HttpStatus.FOUND);
            return;
        }
        User u = accounts.get(cur.get().userId());
        if (!MfaServices.stepUpReachesMfa(cur.get()) && u.hasPassword()) {
            // a mailed link and an authenticator code are both possession factors: only the password makes it multi-factor
            ctx.redirect("/login?prompt=login&return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), HttpStatus.FOUND);
            return;
        }
        challenge(ctx, mfa.flow().stepUp(u, MfaServices.firstStep(cur.get())), returnTo);
    }

    private void renderChallenge(Context ctx, int status, MfaChallenges.Challenge c, String returnTo, String message, String error) {
        pages.render(ctx, status, "mfa.jte", new MfaModels.Challenge(forms.token(ctx), c.token(), returnTo, c.factors().contains(Factor.TOTP),
                c.factors().contains(Factor.RECOVERY_CODE), c.factors().contains(Factor.PASSKEY), message, error));
    }

    private void renderSignInEnrolment(Context ctx, int status, User u, String challenge, String returnTo, String error) {
        renderEnrolment(ctx, status, "/login/mfa/enrol", challenge, returnTo, mfa.totp().begin(u), error);
    }

    private void renderEnrolment(Context ctx, int status, String action, String challenge, String returnTo, TotpEnrolment e, String error) {
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, status, "mfa-enrol.jte", new MfaModels.Enrol(forms.token(ctx), action, challenge, returnTo, e.secret(), e.uri(),
                QrCodes.svg(e.uri(), "QR code for your authenticator app"), error));
    }

    // ---- the account's second factors

    void accountPage(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=%2Faccount%2Fmfa", HttpStatus.FOUND);
            return;
        }
        renderAccount(ctx, 200, cur.get(), notice(ctx.queryParam("done")), null);
    }

    void beginTotp(Context ctx) {
        Optional<Session> cur = sensitive(ctx);
        if (cur.isEmpty()) {
            return;
        }
        User u = accounts.get(cur.get().userId());
        if (mfa.totp().enrolled(u.id())) {
            renderAccount(ctx, 409, cur.get(), null, ErrorCode.MFA_ALREADY_ENROLLED.description());
            return;
        }
        renderEnrolment(ctx, 200, "/account/mfa/totp/confirm", null, "/account/mfa", mfa.totp().begin(u), null);
    }

    void confirmTotp(Context ctx) {
        Optional<Session> cur = sensitive(ctx);
        if (cur.isEmpty()) {
            return;
        }
        User u = accounts.get(cur.get().userId());
        RequestContext rc = requests.context(ctx);
        FactorCheck check = mfa.totp().confirmEnrolment(u.id(), Forms.field(ctx, "code", 20), rc);
        if (!check.accepted()) {
            Optional<TotpEnrolment> pending = mfa.totp().pending(u);
            if (check.status() == FactorCheck.Status.LOCKED || pending.isEmpty()) {
                throw check.status() == FactorCheck.Status.LOCKED
                        ? LatchkeyException.retryAfter(ErrorCode.ACCOUNT_LOCKED, check.retryAfterSeconds(), "totp enrolment locked")
                        : LatchkeyException.of(check.status().errorCode(), "totp enrolment: " + check.status());
            }
            renderEnrolment(ctx, 400, "/account/mfa/totp/confirm", null, "/account/mfa", pending.get(), check.status().errorCode().description());
            return;
        }
        showRecoveryCodes(ctx, u, "/account/mfa?done=totp-on", "Your authenticator app is set up. These recovery codes get you in if you lose it.", rc);
    }

    void removeTotp(Context ctx) {
        Optional<Session> cur = sensitive(ctx);
        if (cur.isEmpty()) {
            return;
        }
        RequestContext rc = requests.context(ctx);
        mfa.totp().remove(cur.get().userId(), rc);
        if (!mfa.hasSecondFactor(cur.get().userId())) {
            mfa.recovery().removeAll(cur.get().userId());
        }
        ctx.redirect("/account/mfa?done=totp-off", HttpStatus.SEE_OTHER);
    }

    void regenerate(Context ctx) {
        Optional<Session> cur = sensitive(ctx);
        if (cur.isEmpty()) {
            return;
        }
        if (!mfa.hasSecondFactor(cur.get().userId())) {
            renderAccount(ctx, 400, cur.get(), null, "Set up an authenticator app first.");
            return;
        }
        User u = accounts.get(cur.get().userId());
        showRecoveryCodes(ctx, u, "/account/mfa?done=recovery", "Your new recovery codes. The old ones no longer work.", requests.context(ctx));
    }

    private void showRecoveryCodes(Context ctx, User u, String continueTo, String intro, RequestContext rc) {
        List<String> codes = mfa.recovery().generate(u.id(), rc);
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, 200, "recovery-codes.jte", new MfaModels.RecoveryCodesShown("Your recovery codes", intro, codes, continueTo));
    }

    /**
     * The session for a POST that changes factors: a valid form, and a recent second factor when the
     * user has one (otherwise to {@code /account/confirm} and back). Empty when answered already.
     */
    Optional<Session> sensitive(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=%2Faccount%2Fmfa", HttpStatus.SEE_OTHER);
            return Optional.empty();
        }
        if (!forms.valid(ctx)) {
            renderAccount(ctx, 403, cur.get(), null, "Your form expired. Please try again.");
            return Optional.empty();
        }
        if (!requireRecent(ctx, cur.get(), "/account/mfa")) {
            return Optional.empty();
        }
        return cur;
    }

    /** True when {@code session} may do a sensitive action now; otherwise redirects to confirm a factor first. */
    boolean requireRecent(Context ctx, Session session, String returnTo) {
        if (mfa.recentEnough(session)) {
            return true;
        }
        ctx.redirect("/account/confirm?return_to=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
        return false;
    }

    private void renderAccount(Context ctx, int status, Session cur, String notice, String error) {
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, status, "mfa-account.jte", new MfaModels.Account(forms.token(ctx), mfa.totp().enrolled(cur.userId()),
                mfa.recovery().remaining(cur.userId()), notice, error));
    }

    private static String notice(String key) {
        if (key == null) {
            return null;
        }
        return switch (key) {
            case "totp-on" -> "Your authenticator app is on. Signing in now asks for a code from it.";
            case "totp-off" -> "The authenticator app was removed.";
            case "recovery" -> "New recovery codes are active; the old ones no longer work.";
            default -> null;
        };
    }

    private String binding(Context ctx) {
        String existing = Cookies.read(ctx, bindingCookie);
        String b = existing != null && existing.length() == 43 ? existing : RandomTokens.token();
        cookies.set(ctx, bindingCookie, b, "/", MfaChallenges.TTL.multipliedBy(2), Cookies.SameSite.LAX);
        return b;
    }

    private void clearBinding(Context ctx) {
        if (Cookies.read(ctx, bindingCookie) != null) {
            cookies.clear(ctx, bindingCookie, "/", Cookies.SameSite.LAX);
        }
    }
}
