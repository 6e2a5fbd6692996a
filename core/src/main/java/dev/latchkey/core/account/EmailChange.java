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
import java.util.UUID;

/**
 * Changing the e-mail address: a confirmation link goes to the new address (the change happens only
 * when it is opened); the old address gets a notice once it is done. The change bumps the security
 * version, so every session ends and the user signs in again with the new address.
 */
public final class EmailChange {
    private final UserStore users;
    private final PasswordCredentials passwords;
    private final MailTokens tokens;
    private final Mailer mailer;
    private final MailFlowPolicy policy;
    private final AuditSink audit;
    private final Clock clock;

    public EmailChange(UserStore users, PasswordCredentials passwords, MailTokens tokens, Mailer mailer, MailFlowPolicy policy,
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
        return mailer.available();
    }

    /**
     * Asks for a change: checks the current password (when the account has one), then mails the
     * confirmation. An address another account has gets no mail, and the answer is the same (no
     * enumeration through the account page).
     */
    public EmailAddress request(UUID userId, String newEmail, String currentPassword, RequestContext ctx) {
        if (!enabled()) {
            throw LatchkeyException.of(ErrorCode.MAIL_UNAVAILABLE, "e-mail change without mail");
        }
        User user = users.findById(userId).orElseThrow(() -> LatchkeyException.of(ErrorCode.UNAUTHENTICATED, "user gone"));
        EmailAddress to = EmailAddress.parse(newEmail);
        if (to.equals(user.email())) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "That is already your e-mail address.", "same address");
        }
        if (user.hasPassword() && !passwords.verify(user, currentPassword).ok()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CREDENTIALS, "The current password is incorrect.", "e-mail change with a wrong password");
        }
        Instant now = clock.instant();
        if (users.findByEmail(to).isPresent()) {
            audit.record(AuditEvent.of(AuditType.EMAIL_CHANGE_REQUESTED, now, ctx).user(userId).subject(to.value()).detail("address taken: nothing sent").build());
            return to;
        }
        IssuedMailToken t = tokens.issue(MailPurpose.CHANGE_EMAIL, user, to.value(), policy.verificationTtl(), null, false, to.value());
        mailer.send(to, user.name(), new MailMessage.ConfirmNewEmail(t.value(), to.value(), policy.verificationTtl()));
        audit.record(AuditEvent.of(AuditType.EMAIL_CHANGE_REQUESTED, now, ctx).user(userId).subject(to.value()).detail("confirmation sent").build());
        return to;
    }

    /** Peeks at a confirmation link: whose it is (to refuse a link of another signed-in user before it is spent). */
    public java.util.Optional<UUID> owner(String token) {
        return tokens.peek(token, MailPurpose.CHANGE_EMAIL).map(MailToken::userId);
    }

    /** Confirms with the link from the new mailbox; returns the changed user. */
    public User confirm(String token, RequestContext ctx) {
        MailToken t = tokens.redeem(token, MailPurpose.CHANGE_EMAIL, ctx);
        User before = users.findById(t.userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "user gone"));
        EmailAddress to = EmailAddress.parse(t.payload());
        Instant now = clock.instant();
        switch (users.changeEmail(t.userId(), to, t.userVersion(), now)) {
            case CHANGED -> {
            }
            case TAKEN -> throw LatchkeyException.withMessage(ErrorCode.EMAIL_TAKEN,
                    "Another account now uses this address, so it cannot become yours.", "e-mail change to a taken address");
            case STALE -> throw LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "user changed since the e-mail change was asked");
        }
        audit.record(AuditEvent.of(AuditType.EMAIL_CHANGED, now, ctx).user(t.userId()).subject(to.value())
                .detail("from " + before.email().value()).build());
        if (mailer.available()) {
            mailer.send(before.email(), before.name(), new MailMessage.EmailChanged(before.email().value(), to.value()));
        }
        return users.findById(t.userId()).orElseThrow(() -> LatchkeyException.of(ErrorCode.MAIL_TOKEN_INVALID, "user gone"));
    }
}
