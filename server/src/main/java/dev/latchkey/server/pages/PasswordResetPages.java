package dev.latchkey.server.pages;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Optional;

/**
 * "Forgot password" on the hosted pages: asking for a reset link (the same answer for every address,
 * the lookup off the request thread) and choosing the new password with it.
 */
final class PasswordResetPages {
    private final SignInPages signInPages;
    private final SignInPages.Mail mail;
    private final Pages pages;
    private final Forms forms;
    private final Requests requests;
    private final int minPasswordLength;

    PasswordResetPages(SignInPages signInPages, SignInPages.Mail mail, Pages pages, Forms forms, Requests requests, int minPasswordLength) {
        this.signInPages = signInPages;
        this.mail = mail;
        this.pages = pages;
        this.forms = forms;
        this.requests = requests;
        this.minPasswordLength = minPasswordLength;
    }

    void register(RoutesConfig r) {
        r.get("/forgot-password", signInPages.page(this::forgotPage));
        r.post("/forgot-password", signInPages.page(this::forgot));
        r.get("/reset-password", signInPages.page(this::resetPage));
        r.post("/reset-password", signInPages.page(this::reset));
    }

    void forgotPage(Context ctx) {
        requireReset();
        signInPages.renderEmailForm(ctx, 200, forgotForm(ctx, Forms.query(ctx, "email", 320), null));
    }

    void forgot(Context ctx) {
        requireReset();
        String email = Forms.field(ctx, "email", 320);
        if (!forms.valid(ctx)) {
            signInPages.renderEmailForm(ctx, 403, forgotForm(ctx, email, "Your form expired. Please try again."));
            return;
        }
        Optional<EmailAddress> address = SignInPages.parse(email);
        if (address.isEmpty()) {
            signInPages.renderEmailForm(ctx, 400, forgotForm(ctx, email, ErrorCode.INVALID_EMAIL.description()));
            return;
        }
        RequestContext rc = requests.context(ctx);
        signInPages.limitMail(rc, address.get());
        signInPages.inBackground("password reset", () -> mail.reset().request(address.get(), rc));
        pages.render(ctx, 200, "notice.jte", new PageModels.Notice("Check your mail",
                "If an account has the address " + address.get().value() + ", we sent it a link to choose a new password. "
                        + "The link expires in " + SignInPages.minutes(mail.policy().resetTtl()) + "."));
    }

    private PageModels.EmailForm forgotForm(Context ctx, String email, String error) {
        return new PageModels.EmailForm(forms.token(ctx), "Forgot your password?",
                "Enter the e-mail address of your account. We will send you a link to choose a new password.",
                "/forgot-password", ReturnTo.DEFAULT, email, error, "Send me a link");
    }

    void resetPage(Context ctx) {
        requireReset();
        String token = Forms.query(ctx, "token", 64);
        if (!mail.reset().usable(token)) {
            signInPages.error(ctx, 400, "This link cannot be used", ErrorCode.MAIL_TOKEN_INVALID.description()
                    + " Links work once and expire after " + SignInPages.minutes(mail.policy().resetTtl()) + ".");
            return;
        }
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, 200, "reset.jte", new PageModels.ResetForm(forms.token(ctx), token, List.of(), minPasswordLength));
    }

    void reset(Context ctx) {
        requireReset();
        String token = Forms.field(ctx, "token", 64);
        String password = Forms.field(ctx, "password", 1024);
        if (!forms.valid(ctx)) {
            pages.render(ctx, 403, "reset.jte", new PageModels.ResetForm(forms.token(ctx), token,
                    List.of("Your form expired. Please try again."), minPasswordLength));
            return;
        }
        try {
            mail.reset().reset(token, password, requests.context(ctx));
        } catch (LatchkeyException e) {
            if (e.code() != ErrorCode.WEAK_PASSWORD) {
                throw e;
            }
            pages.render(ctx, 400, "reset.jte", new PageModels.ResetForm(forms.token(ctx), token, List.of(e.publicMessage()), minPasswordLength));
            return;
        }
        signInPages.hosted().endCurrentSession(ctx);
        ctx.redirect("/login?notice=password-reset", HttpStatus.SEE_OTHER);
    }

    void requireReset() {
        if (!mail.available()) {
            throw LatchkeyException.withMessage(ErrorCode.MAIL_UNAVAILABLE,
                    "Password reset by e-mail is not available: this server is not set up to send mail. Ask your administrator.", "no mail");
        }
        if (!mail.reset().enabled()) {
            throw LatchkeyException.withMessage(ErrorCode.FEATURE_DISABLED, "Password reset by e-mail is turned off on this server.", "reset off");
        }
    }
}
