package dev.latchkey.core.account;

import dev.latchkey.core.RequestContext;
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
import java.util.Objects;

/**
 * E-mail verification: a link mailed at sign-up (and on request), which sets {@code email_verified}
 * only while the address is still the one it was sent to.
 */
public final class EmailVerification {
    private final UserStore users;
    private final MailTokens tokens;
    private final Mailer mailer;
    private final MailFlowPolicy policy;
    private final AuditSink audit;
    private final Clock clock;

    public EmailVerification(UserStore users, MailTokens tokens, Mailer mailer, MailFlowPolicy policy, AuditSink audit, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether verification mails are sent at all (policy not off, and mail available). */
    public boolean enabled() {
        return policy.verification().sendsMail() && mailer.available();
    }

    /**
     * Mails a verification link to the user's address unless it is verified already; {@code binding}
     * names the browser that signed up, which the link then also signs in. False when nothing was sent.
     */
    public boolean send(User user, String binding, RequestContext ctx) {
        if (!enabled() || user.emailVerified()) {
            return false;
        }
        IssuedMailToken t = tokens.issue(MailPurpose.VERIFY_EMAIL, user, user.email().value(), policy.verificationTtl(), binding, false, null);
        mailer.send(user.email(), user.name(), new MailMessage.VerifyEmail(t.value(), policy.verificationTtl()));
        audit.record(AuditEvent.of(AuditType.EMAIL_VERIFICATION_SENT, clock.instant(), ctx).user(user.id()).subject(user.email().value()).build());
        return true;
    }

    /** Sends a new link to the account with {@code email} if it exists, is active and unverified; nothing otherwise. */
    public void resend(EmailAddress email, String binding, RequestContext ctx) {
        users.findByEmail(email).filter(User::active).ifPresent(u -> send(u, binding, ctx));
    }

    /** The result of a redeemed verification link: the user, and the token (to see which browser asked). */
    public record Verified(User user, MailToken token) {
    }

    public Verified verify(String token, RequestContext ctx) {
        MailToken t = tokens.redeem(token, MailPurpose.VERIFY_EMAIL, ctx);
        EmailAddress email = EmailAddress.parse(t.email());
        if (!users.markEmailVerified(t.userId(), email, clock.instant())) {
            throw LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "verification for an address the user no longer has");
        }
        audit.record(AuditEvent.of(AuditType.EMAIL_VERIFIED, clock.instant(), ctx).user(t.userId()).subject(email.value()).build());
        User u = users.findById(t.userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "user gone"));
        return new Verified(u, t);
    }
}
