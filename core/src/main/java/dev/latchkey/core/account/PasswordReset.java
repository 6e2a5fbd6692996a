package dev.latchkey.core.account;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.credential.PasswordCredentials;
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
 * "Forgot password": a short-lived link mailed to the address, if an account has it; the answer is
 * the same either way (the caller runs {@link #request} off the request thread, so the timing is the
 * same too). Setting the new password bumps the security version: every session and refresh family
 * of the user ends, and so does every other outstanding reset link.
 */
public final class PasswordReset {
    private final UserStore users;
    private final PasswordCredentials passwords;
    private final MailTokens tokens;
    private final Mailer mailer;
    private final MailFlowPolicy policy;
    private final AuditSink audit;
    private final Clock clock;

    public PasswordReset(UserStore users, PasswordCredentials passwords, MailTokens tokens, Mailer mailer, MailFlowPolicy policy,
                         AuditSink audit, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public boolean enabled() {
        return policy.passwordReset() && mailer.available();
    }

    /** Mails a reset link when an active account has {@code email}; does nothing otherwise (audited either way). */
    public void request(EmailAddress email, RequestContext ctx) {
        Instant now = clock.instant();
        Optional<User> user = users.findByEmail(email).filter(User::active);
        if (user.isEmpty()) {
            audit.record(AuditEvent.of(AuditType.PASSWORD_RESET_REQUESTED, now, ctx).subject(email.value()).detail("no active account").build());
            return;
        }
        User u = user.get();
        IssuedMailToken t = tokens.issue(MailPurpose.RESET_PASSWORD, u, email.value(), policy.resetTtl(), null, false, null);
        mailer.send(email, u.name(), new MailMessage.ResetPassword(t.value(), policy.resetTtl()));
        audit.record(AuditEvent.of(AuditType.PASSWORD_RESET_REQUESTED, now, ctx).user(u.id()).subject(email.value()).detail("link sent").build());
    }

    /** Whether a reset link can still be used (to show the form); changes nothing. */
    public boolean usable(String token) {
        return tokens.peek(token, MailPurpose.RESET_PASSWORD).isPresent();
    }

    /**
     * Sets the new password with a reset link. The policy is checked before the link is spent, so a
     * rejected password leaves the link usable. Returns the user.
     */
    public User reset(String token, String newPassword, RequestContext ctx) {
        MailToken peeked = tokens.peek(token, MailPurpose.RESET_PASSWORD).orElse(null);
        if (peeked != null) {
            User u = users.findById(peeked.userId()).orElse(null);
            if (u != null) {
                passwords.check(newPassword, u.email());
            }
        }
        MailToken t = tokens.redeem(token, MailPurpose.RESET_PASSWORD, ctx);
        User user = users.findById(t.userId()).filter(User::active)
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "reset for a missing or disabled user"));
        passwords.set(user, newPassword, "reset by e-mail", ctx);
        // the link proved the mailbox
        users.markEmailVerified(user.id(), EmailAddress.parse(t.email()), clock.instant());
        audit.record(AuditEvent.of(AuditType.PASSWORD_RESET, clock.instant(), ctx).user(user.id()).subject(t.email())
                .detail("every session ended").build());
        return users.findById(user.id()).orElse(user);
    }
}
