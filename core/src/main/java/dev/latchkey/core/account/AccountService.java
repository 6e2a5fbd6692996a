package dev.latchkey.core.account;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.credential.PasswordCredentials;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Accounts: sign-up, profile, password changes, status. Signing in is the login flow's
 * ({@link dev.latchkey.core.authn.LoginFlow}).
 */
public final class AccountService {
    private static final int MAX_NAME = 200;

    private final UserStore users;
    private final PasswordCredentials passwords;
    private final AuditSink audit;
    private final Clock clock;

    public AccountService(UserStore users, PasswordCredentials passwords, AuditSink audit, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public User signup(SignupRequest req, RequestContext ctx) {
        EmailAddress email = EmailAddress.parse(req.email());
        String name = normaliseName(req.name());
        passwords.check(req.password(), email);
        Instant now = clock.instant();
        User user = new User(UuidV7.next(clock), email, false, name, passwords.hash(req.password()),
                UserStatus.ACTIVE, 1, now, now);
        if (!users.create(user)) {
            throw LatchkeyException.of(ErrorCode.EMAIL_TAKEN, "sign-up for an existing e-mail");
        }
        audit.record(AuditEvent.of(AuditType.SIGNUP, now, ctx).user(user.id()).subject(email.value()).build());
        return user;
    }

    /** Verifies the current password, then sets the new one: every session of the user ends. */
    public int changePassword(UUID userId, String currentPassword, String newPassword, RequestContext ctx) {
        User user = users.findById(userId).orElseThrow(() -> LatchkeyException.of(ErrorCode.UNAUTHENTICATED, "user gone"));
        if (!user.hasPassword() || !passwords.verify(user, currentPassword).ok()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_CREDENTIALS, "The current password is incorrect.", "password change with a wrong current password");
        }
        return setPassword(user, newPassword, ctx);
    }

    /** Sets a password without knowing the old one (administrators, recovery). */
    public int resetPassword(UUID userId, String newPassword, RequestContext ctx) {
        User user = users.findById(userId).orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "no such user"));
        return setPassword(user, newPassword, ctx);
    }

    private int setPassword(User user, String newPassword, RequestContext ctx) {
        return passwords.set(user, newPassword, null, ctx);
    }

    /** Sets the user's display name (blank: none); every node forgets its cached profile. */
    public User rename(UUID userId, String name, RequestContext ctx) {
        String n = normaliseName(name);
        Instant now = clock.instant();
        if (!users.updateName(userId, n, now)) {
            throw LatchkeyException.of(ErrorCode.NOT_FOUND, "no such user");
        }
        audit.record(AuditEvent.of(AuditType.PROFILE_CHANGED, now, ctx).user(userId).detail("name").build());
        return get(userId);
    }

    public void setStatus(UUID userId, UserStatus status, RequestContext ctx) {
        Instant now = clock.instant();
        users.setStatus(userId, status, now).orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "no such user"));
        audit.record(AuditEvent.of(status == UserStatus.ACTIVE ? AuditType.USER_ENABLED : AuditType.USER_DISABLED, now, ctx)
                .user(userId).build());
    }

    public void delete(UUID userId, RequestContext ctx) {
        Instant now = clock.instant();
        if (!users.delete(userId, now)) {
            throw LatchkeyException.of(ErrorCode.NOT_FOUND, "no such user");
        }
        audit.record(AuditEvent.of(AuditType.USER_DELETED, now, ctx).user(userId).build());
    }

    public User get(UUID userId) {
        return users.findById(userId).orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "no such user"));
    }

    public List<String> passwordViolations(String password, EmailAddress email) {
        return passwords.violations(password, email);
    }

    /** The password credential, for the login flow and the e-mail flows. */
    public PasswordCredentials passwords() {
        return passwords;
    }

    public static String normaliseName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.strip();
        if (n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "The name must be at most 200 characters without control characters.", "bad name");
        }
        return n;
    }
}
