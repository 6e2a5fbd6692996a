package dev.latchkey.server.pages;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.EmailChange;
import dev.latchkey.core.account.EmailVerification;
import dev.latchkey.core.account.User;
import dev.latchkey.core.credential.passkey.PasskeyService;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.identity.IdentityStore;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionService;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.RateLimits;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The hosted account page {@code /account}: name, e-mail address and its state, sessions and devices,
 * password and e-mail changes. Every change is a CSRF-checked POST that redirects back with a fixed
 * notice (never reflected input). Passkeys are listed, renamed and removed here; adding one is a
 * ceremony in the page's script ({@link PasskeyPages}). Second factors and linked identities have their places.
 */
public final class AccountPages implements Endpoints {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    /** What the account page works with. */
    public record Services(AccountService accounts, SessionService sessions, EmailVerification verification, EmailChange emailChange,
                           IdentityStore identities, boolean mailAvailable, dev.latchkey.core.ratelimit.RateLimit passwordAttempts,
                           dev.latchkey.core.identity.IdentityProviders providers, PasskeyService passkeys) {
    }

    private final Services s;
    private final HostedPages hosted;
    private final SignInPages signInPages;
    private final Pages pages;
    private final Forms forms;
    private final Requests requests;
    private final RateLimits rateLimits;
    private final SignInPages.Mail mail;
    private final int minPasswordLength;

    public AccountPages(Services services, HostedPages hosted, SignInPages signInPages, SignInPages.Mail mail, Pages pages, Csrf csrf,
                        Requests requests, RateLimits rateLimits, int minPasswordLength) {
        this.s = services;
        this.hosted = hosted;
        this.signInPages = signInPages;
        this.mail = mail;
        this.pages = pages;
        this.forms = new Forms(requests, csrf);
        this.requests = requests;
        this.rateLimits = rateLimits;
        this.minPasswordLength = minPasswordLength;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/account", this::account);
        r.post("/account/name", signInPages.page(this::rename));
        r.post("/account/password", signInPages.page(this::changePassword));
        r.post("/account/email", signInPages.page(this::changeEmail));
        r.get("/account/email/confirm", signInPages.page(this::confirmEmailPage));
        r.post("/account/email/confirm", signInPages.page(this::confirmEmail));
        r.post("/account/verify-email", signInPages.page(this::resend));
        r.post("/account/sessions/revoke", signInPages.page(this::revokeSession));
        r.post("/account/sessions/revoke-others", signInPages.page(this::revokeOthers));
        r.post("/account/passkeys/rename", signInPages.page(this::renamePasskey));
        r.post("/account/passkeys/remove", signInPages.page(this::removePasskey));
    }

    void account(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=%2Faccount", HttpStatus.FOUND);
            return;
        }
        render(ctx, 200, cur.get(), notice(ctx.queryParam("done")), null);
    }

    private void render(Context ctx, int status, Session cur, String notice, String error) {
        User u = s.accounts().get(cur.userId());
        List<PageModels.AccountSession> list = s.sessions().list(u.id()).stream().map(x -> new PageModels.AccountSession(x.id().toString(),
                x.id().equals(cur.id()), device(x.userAgent()), x.kind().wireName(),
                WHEN.format(x.lastSeenAt() == null ? x.createdAt() : x.lastSeenAt()), WHEN.format(x.createdAt()))).toList();
        List<String> factors = u.hasPassword() ? List.of("Password") : List.of();
        List<PageModels.LinkedIdentity> ids = s.identities().forUser(u.id()).stream()
                .map(i -> new PageModels.LinkedIdentity(i.provider(), s.providers().find(i.provider())
                        .map(dev.latchkey.core.identity.IdentityProvider::label).orElse(i.provider()), i.subject(), i.email(),
                        WHEN.format(i.linkedAt()))).toList();
        List<PageModels.ProviderButton> linkable = s.providers().enabled().stream()
                .map(p -> new PageModels.ProviderButton(p.name(), p.label(), "/account/identities/link")).toList();
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, status, "account.jte", new PageModels.Account(forms.token(ctx), u.email().value(), u.emailVerified(), u.name(),
                u.id().toString(), cur.id().toString(), notice, error, list, u.hasPassword(), s.mailAvailable(), factors, ids, minPasswordLength,
                linkable, passkeys(ctx, cur, u)));
    }

    private PageModels.Passkeys passkeys(Context ctx, Session cur, User u) {
        List<PageModels.AccountPasskey> items = s.passkeys().list(u.id()).stream().map(p -> new PageModels.AccountPasskey(p.id().toString(),
                p.name(), WHEN.format(p.createdAt()), p.lastUsedAt() == null ? "never" : WHEN.format(p.lastUsedAt()),
                p.backupState() ? "backed up (synced)" : p.backupEligible() ? "can be backed up, not backed up yet" : "this device only",
                s.passkeys().isLastWayIn(u.id(), p.id()))).toList();
        return new PageModels.Passkeys(forms.token(ctx), items, s.passkeys().recentEnough(cur.authTime()), "/login?prompt=login&return_to=%2Faccount");
    }

    /** The signed-in session for a POST (the form must be ours); empty after redirecting to sign-in. */
    private Optional<Session> posted(Context ctx) {
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isEmpty()) {
            ctx.redirect("/login?return_to=%2Faccount", HttpStatus.SEE_OTHER);
            return Optional.empty();
        }
        if (!forms.valid(ctx)) {
            render(ctx, 403, cur.get(), null, "Your form expired. Please try again.");
            return Optional.empty();
        }
        return cur;
    }

    /** Sensitive changes need a recent second factor when the user has one (otherwise: confirm it first, then come back). */
    private boolean recentFactor(Context ctx, Session session) {
        return signInPages.mfa().map(m -> m.requireRecent(ctx, session, "/account")).orElse(true);
    }

    void rename(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        try {
            s.accounts().rename(cur.get().userId(), Forms.field(ctx, "name", 400), requests.context(ctx));
        } catch (LatchkeyException e) {
            render(ctx, 400, cur.get(), null, e.publicMessage());
            return;
        }
        done(ctx, "name");
    }

    void changePassword(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        if (!recentFactor(ctx, cur.get())) {
            return;
        }
        RequestContext rc = requests.context(ctx);
        rateLimits.check("login-account", cur.get().userId().toString(), s.passwordAttempts());
        try {
            s.accounts().changePassword(cur.get().userId(), Forms.field(ctx, "current_password", 1024),
                    Forms.field(ctx, "new_password", 1024), rc);
        } catch (LatchkeyException e) {
            if (e.code() != ErrorCode.INVALID_CREDENTIALS && e.code() != ErrorCode.WEAK_PASSWORD) {
                throw e;
            }
            render(ctx, 400, cur.get(), null, e.publicMessage());
            return;
        }
        // every session ended with the change; this browser continues in a fresh one
        hosted.signIn(ctx, s.accounts().get(cur.get().userId()), cur.get().amr(), rc);
        done(ctx, "password");
    }

    void changeEmail(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        if (!recentFactor(ctx, cur.get())) {
            return;
        }
        RequestContext rc = requests.context(ctx);
        String email = Forms.field(ctx, "new_email", 320);
        rateLimits.check("mail-ip", rc.ip(), mail.perIp());
        rateLimits.check("mail-address", email.strip().toLowerCase(java.util.Locale.ROOT), mail.perAddress());
        try {
            s.emailChange().request(cur.get().userId(), email, Forms.field(ctx, "current_password", 1024), rc);
        } catch (LatchkeyException e) {
            if (e.code().httpStatus() >= 500) {
                throw e;
            }
            render(ctx, e.code().httpStatus() == 401 ? 400 : e.code().httpStatus(), cur.get(), null, e.publicMessage());
            return;
        }
        done(ctx, "email-sent");
    }

    void confirmEmailPage(Context ctx) {
        String token = Forms.query(ctx, "token", 64);
        Optional<UUID> owner = s.emailChange().owner(token);
        if (owner.isEmpty()) {
            throw LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "e-mail change link not redeemable");
        }
        Optional<Session> cur = hosted.currentSession(ctx);
        if (cur.isPresent() && !cur.get().userId().equals(owner.get())) {
            throw LatchkeyException.withMessage(ErrorCode.MAIL_TOKEN_INVALID,
                    "This link belongs to another account than the one signed in here. Nothing was changed.", "e-mail change link of another user");
        }
        ctx.header("Cache-Control", "no-store");
        pages.render(ctx, 200, "mail-form.jte", new PageModels.MailForm(forms.token(ctx), "Confirm your new e-mail address",
                "Confirm to make this your account's address. Every device will be signed out, and you sign in again with the new address.",
                "/account/email/confirm", "token", token, ReturnTo.DEFAULT, "Confirm the new address", null));
    }

    void confirmEmail(Context ctx) {
        String token = Forms.field(ctx, "token", 64);
        if (!forms.valid(ctx)) {
            throw LatchkeyException.withMessage(ErrorCode.CSRF_FAILED, "Your form expired. Open the link from the mail again.", "csrf");
        }
        Optional<UUID> owner = s.emailChange().owner(token);
        Optional<Session> cur = hosted.currentSession(ctx);
        if (owner.isPresent() && cur.isPresent() && !cur.get().userId().equals(owner.get())) {
            throw LatchkeyException.withMessage(ErrorCode.MAIL_TOKEN_INVALID,
                    "This link belongs to another account than the one signed in here. Nothing was changed.", "e-mail change link of another user");
        }
        s.emailChange().confirm(token, requests.context(ctx));
        hosted.endCurrentSession(ctx);
        ctx.redirect("/login?notice=email-changed", HttpStatus.SEE_OTHER);
    }

    void resend(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        if (!s.verification().enabled()) {
            throw LatchkeyException.of(ErrorCode.MAIL_UNAVAILABLE, "verification without mail");
        }
        RequestContext rc = requests.context(ctx);
        User u = s.accounts().get(cur.get().userId());
        rateLimits.check("mail-address", u.email().value(), mail.perAddress());
        s.verification().send(u, null, rc);
        done(ctx, "verification-sent");
    }

    void revokeSession(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(Forms.field(ctx, "session", 64));
        } catch (IllegalArgumentException e) {
            render(ctx, 400, cur.get(), null, "No such session.");
            return;
        }
        if (!s.sessions().revoke(cur.get().userId(), id, requests.context(ctx))) {
            render(ctx, 404, cur.get(), null, "No such session.");
            return;
        }
        if (id.equals(cur.get().id())) {
            hosted.endCurrentSession(ctx);
            ctx.redirect("/login?signed_out=1", HttpStatus.SEE_OTHER);
            return;
        }
        done(ctx, "session-ended");
    }

    void revokeOthers(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        s.sessions().revokeOthers(cur.get().userId(), cur.get().id(), requests.context(ctx));
        done(ctx, "others-signed-out");
    }

    void renamePasskey(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        try {
            s.passkeys().rename(cur.get().userId(), passkeyId(ctx), Forms.field(ctx, "name", 200), requests.context(ctx));
        } catch (LatchkeyException e) {
            if (e.code().httpStatus() >= 500) {
                throw e;
            }
            render(ctx, e.code().httpStatus(), cur.get(), null, e.publicMessage());
            return;
        }
        done(ctx, "passkey-renamed");
    }

    void removePasskey(Context ctx) {
        Optional<Session> cur = posted(ctx);
        if (cur.isEmpty()) {
            return;
        }
        try {
            s.passkeys().remove(cur.get().userId(), passkeyId(ctx), cur.get().authTime(), "1".equals(Forms.single(ctx, "confirm_last")),
                    requests.context(ctx));
        } catch (LatchkeyException e) {
            if (e.code().httpStatus() >= 500) {
                throw e;
            }
            render(ctx, e.code().httpStatus(), cur.get(), null, e.publicMessage());
            return;
        }
        done(ctx, "passkey-removed");
    }

    private static UUID passkeyId(Context ctx) {
        try {
            return UUID.fromString(Forms.field(ctx, "passkey", 64));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such passkey.", "malformed passkey id");
        }
    }

    private static void done(Context ctx, String what) {
        ctx.redirect("/account?done=" + what, HttpStatus.SEE_OTHER);
    }

    private static String notice(String key) {
        if (key == null) {
            return null;
        }
        return switch (key) {
            case "name" -> "Your name was saved.";
            case "password" -> "Your password was changed. Every other device was signed out.";
            case "email-sent" -> "We sent a confirmation link to the new address. Your address changes when you open it.";
            case "verification-sent" -> "We sent you a new confirmation link.";
            case "verified" -> "Your e-mail address is confirmed.";
            case "session-ended" -> "That session was signed out.";
            case "others-signed-out" -> "Every other session was signed out.";
            case "identity-linked" -> "The sign-in was linked to your account.";
            case "identity-unlinked" -> "The sign-in was unlinked from your account.";
            case "passkey-added" -> "Your passkey was added. You can sign in with it now.";
            case "passkey-renamed" -> "The passkey was renamed.";
            case "passkey-removed" -> "The passkey was removed.";
            default -> null;
        };
    }

    /** A short device description from a user agent (browser and platform), for people to recognise. */
    static String device(String ua) {
        if (ua == null || ua.isBlank()) {
            return "Unknown device";
        }
        String browser = ua.contains("Edg/") ? "Edge" : ua.contains("Firefox/") ? "Firefox" : ua.contains("Chrome/") ? "Chrome"
                : ua.contains("Safari/") ? "Safari" : ua.contains("curl/") ? "curl" : null;
        String os = ua.contains("Windows") ? "Windows" : ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Mac OS X") ? "macOS" : ua.contains("Linux") ? "Linux" : null;
        if (browser == null && os == null) {
            return ua.length() > 60 ? ua.substring(0, 60) + "…" : ua;
        }
        return (browser == null ? "Browser" : browser) + (os == null ? "" : " on " + os);
    }
}
