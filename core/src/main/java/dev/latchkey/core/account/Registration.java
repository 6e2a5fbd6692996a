package dev.latchkey.core.account;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Sign-up that does not tell whether an address has an account. While verification is required
 * (and mail can be sent), a new account can do nothing until its owner opens the mailed link, so
 * the answer for a taken address can be the very same "check your mail": instead of refusing, the
 * address's owner gets a notice (sign in, or reset the password) and the attempt is audited as
 * {@link AuditType#SIGNUP_EXISTING_ADDRESS} (OWASP Authentication Cheat Sheet, "account creation" under
 * authentication responses; the password is hashed before the address is tried either way, so the work is the same). Without
 * required verification a new account is signed in at once, which cannot be faked, and a taken
 * address is refused ({@link ErrorCode#EMAIL_TAKEN}).
 */
public final class Registration {
    private final AccountService accounts;
    private final UserStore users;
    private final Mailer mailer;
    private final VerificationPolicy verification;
    private final AuditSink audit;
    private final Clock clock;

    public Registration(AccountService accounts, UserStore users, Mailer mailer, VerificationPolicy verification, AuditSink audit, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.users = Objects.requireNonNull(users, "users");
        this.mailer = Objects.requireNonNull(mailer, "mailer");
        this.verification = Objects.requireNonNull(verification, "verification");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What a sign-up did; the caller answers both alike when {@link #concealsExistingAddresses()}. */
    public sealed interface Outcome permits Created, ExistingAddress {
    }

    /** A new account. */
    public record Created(User user) implements Outcome {
    }

    /** The address had an account; its owner was mailed. {@code decoyId} stands in for a new account's id in the answer. */
    public record ExistingAddress(EmailAddress email, UUID decoyId) implements Outcome {
    }

    /** True when a taken address is answered like a new sign-up (verification required and mail available). */
    public boolean concealsExistingAddresses() {
        return verification == VerificationPolicy.REQUIRED && mailer.available();
    }

    public Outcome signup(SignupRequest request, RequestContext ctx) {
        try {
            return new Created(accounts.signup(request, ctx));
        } catch (LatchkeyException e) {
            if (e.code() != ErrorCode.EMAIL_TAKEN || !concealsExistingAddresses()) {
                throw e;
            }
        }
        EmailAddress email = EmailAddress.parse(request.email());
        users.findByEmail(email).ifPresent(owner -> {
            if (owner.active()) {
                mailer.send(owner.email(), owner.name(), new MailMessage.SignupAttempted());
            }
            audit.record(AuditEvent.of(AuditType.SIGNUP_EXISTING_ADDRESS, clock.instant(), ctx).user(owner.id())
                    .subject(owner.email().value()).detail(owner.active() ? "owner notified" : "account not active: no mail").build());
        });
        return new ExistingAddress(email, UuidV7.next(clock));
    }
}
