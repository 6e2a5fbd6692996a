package dev.latchkey.core.authn;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.mail.IssuedMailToken;
import dev.latchkey.core.mail.MailFlowPolicy;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.MailPurpose;
import dev.latchkey.core.mail.MailToken;
import dev.latchkey.core.mail.MailTokens;
import dev.latchkey.core.mail.Mailer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Passwordless sign-in by e-mail. The asking browser gets a binding cookie; the mail carries a link
 * and a six-digit code. The link signs in only the browser that asked; opened anywhere else it asks
 * for confirmation first (a mail scanner's GET or a forwarded mail signs nobody in). The code, typed on
 * the asking browser, is the way for a mail read on another device. Each is a step of the login flow.
 */
public final class MagicLinks {
    private final UserStore users;
    private final MailTokens tokens;
    private final Mailer mailer;
    private final LoginFlow flow;
    private final MailFlowPolicy policy;
    private final AuditSink audit;
    private final Clock clock;

    public MagicLinks(UserStore users, MailTokens tokens, Mailer mailer, LoginFlow flow, MailFlowPolicy policy, AuditSink audit, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.flow = Objects.requireNonNull(flow, "flow");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean enabled() {
        return policy.magicLinks() && mailer.available();
    }

    /**
     * Mails a link and code when an active account has {@code email}; nothing otherwise (the answer
     * is the same; callers run it off the request thread). {@code returnTo} is kept with the token.
     */
    public void request(EmailAddress email, String binding, String returnTo, RequestContext ctx) {
        Instant now = clock.instant();
        Optional<User> user = users.findByEmail(email).filter(User::active);
        if (user.isEmpty()) {
            audit.record(AuditEvent.of(AuditType.MAGIC_LINK_SENT, now, ctx).subject(email.value()).detail("no active account: nothing sent").build());
            return;
        }
        IssuedMailToken t = tokens.issue(MailPurpose.SIGN_IN, user.get(), email.value(), policy.signInTtl(), binding, true, returnTo);
        mailer.send(email, user.get().name(), new MailMessage.MagicLink(t.value(), t.code(), policy.signInTtl()));
        audit.record(AuditEvent.of(AuditType.MAGIC_LINK_SENT, now, ctx).user(user.get().id()).subject(email.value()).build());
    }

    /** What opening a link leads to. */
    public sealed interface Opened {
        /** The browser that asked: signed in (or a further step), with the return path kept with the token. */
        record Completed(SignInOutcome outcome, String returnTo) implements Opened {
        }

        /** Another browser: ask the person to confirm before signing this one in. Nothing was spent. */
        record ConfirmationNeeded(String maskedEmail) implements Opened {
        }
    }

    /** Opens a link on a browser whose binding secret is {@code binding} (null: none). */
    public Opened open(String token, String binding, RequestContext ctx) {
        Optional<MailToken> peek = tokens.peek(token, MailPurpose.SIGN_IN);
        if (peek.isPresent() && !MailTokens.boundTo(peek.get(), binding)) {
            return new Opened.ConfirmationNeeded(mask(peek.get().email()));
        }
        return complete(tokens.redeem(token, MailPurpose.SIGN_IN, ctx), ctx);
    }

    /** The person confirmed signing in on this browser. */
    public Opened.Completed confirm(String token, RequestContext ctx) {
        return complete(tokens.redeem(token, MailPurpose.SIGN_IN, ctx), ctx);
    }

    /** The code from the mail, typed on the browser that asked. */
    public Opened.Completed code(String binding, String code, RequestContext ctx) {
        return complete(tokens.redeemCode(binding, code, MailPurpose.SIGN_IN, ctx), ctx);
    }

    private Opened.Completed complete(MailToken t, RequestContext ctx) {
        User user = users.findById(t.userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "user gone"));
        Instant now = clock.instant();
        if (!user.emailVerified() && users.markEmailVerified(user.id(), user.email(), now)) {
            audit.record(AuditEvent.of(AuditType.EMAIL_VERIFIED, now, ctx).user(user.id()).subject(user.email().value())
                    .detail("by a sign-in link").build());
            user = users.findById(user.id()).orElse(user);
        }
        audit.record(AuditEvent.of(AuditType.MAGIC_LINK_USED, now, ctx).user(user.id()).subject(user.email().value()).build());
        return new Opened.Completed(flow.mailedLink(user, ctx), t.payload());
    }

    /** {@code jane@example.com} → {@code j***@example.com}: enough to recognise, not to harvest. */
    static String mask(String email) {
        int at = email.indexOf('@');
        return at <= 1 ? "***" + email.substring(Math.max(at, 0)) : email.charAt(0) + "***" + email.substring(at);
    }
}
