package dev.latchkey.core.account;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.LoginThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Sign-up, sign-in and password changes. Sign-in answers an unknown e-mail and a wrong password
 * the same way and with the same work (a dummy hash verification), and locks an identifier with
 * exponential back-off after repeated failures whether or not the account exists.
 */
public final class AccountService {
    private static final int MAX_NAME = 200;

    private final UserStore users;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final LoginThrottle throttle;
    private final LockoutPolicy lockout;
    private final AuditSink audit;
    private final Clock clock;
    private final Hmac throttleKey;

    public AccountService(UserStore users, PasswordHasher hasher, PasswordRules rules, LoginThrottle throttle,
                          LockoutPolicy lockout, AuditSink audit, Clock clock, byte[] throttleKey) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.throttleKey = new Hmac(throttleKey);
    }

    public User signup(SignupRequest req, RequestContext ctx) {
        EmailAddress email = EmailAddress.parse(req.email());
        String name = normaliseName(req.name());
        checkPassword(req.password(), email);
        Instant now = clock.instant();
        User user = new User(UuidV7.next(clock), email, false, name, hasher.hash(req.password()),
                UserStatus.ACTIVE, 1, now, now);
        if (!users.create(user)) {
            throw LatchkeyException.of(ErrorCode.EMAIL_TAKEN, "sign-up for an existing e-mail");
        }
        audit.record(AuditEvent.of(AuditType.SIGNUP, now, ctx).user(user.id()).subject(email.value()).build());
        return user;
    }

    /** Checks the credentials; returns the user or throws INVALID_CREDENTIALS / ACCOUNT_LOCKED / ACCOUNT_DISABLED. */
    public User authenticate(String rawEmail, String password, RequestContext ctx) {
        Instant now = clock.instant();
        EmailAddress email;
        try {
            email = EmailAddress.parse(rawEmail);
        } catch (LatchkeyException e) {
            hasher.verifyDummy(password == null ? "" : password);
            throw LatchkeyException.of(ErrorCode.INVALID_CREDENTIALS, "sign-in with a malformed e-mail");
        }
        String key = throttleKey(email);
        LoginThrottle.State state = throttle.state(key, now);
        if (state.lockedAt(now)) {
            audit.record(AuditEvent.of(AuditType.LOGIN_LOCKED, now, ctx).subject(email.value()).detail("attempt while locked").build());
            throw LatchkeyException.retryAfter(ErrorCode.ACCOUNT_LOCKED, secondsUntil(now, state.lockedUntil()), "identifier is locked");
        }
        User user = users.findByEmail(email).orElse(null);
        PasswordHasher.Match match;
        if (user == null || !user.hasPassword()) {
            hasher.verifyDummy(password == null ? "" : password);
            match = PasswordHasher.Match.MISMATCH;
        } else {
            match = hasher.verify(password == null ? "" : password, user.passwordHash());
        }
        if (!match.ok()) {
            LoginThrottle.State after = throttle.recordFailure(key, now, lockout);
            audit.record(AuditEvent.of(AuditType.LOGIN_FAILURE, now, ctx).user(user == null ? null : user.id())
                    .subject(email.value()).detail(user == null ? "unknown account" : "wrong password").build());
            if (after.lockedAt(now)) {
                audit.record(AuditEvent.of(AuditType.LOGIN_LOCKED, now, ctx).subject(email.value())
                        .detail("locked after " + after.failures() + " failures").build());
            }
            throw LatchkeyException.of(ErrorCode.INVALID_CREDENTIALS, user == null ? "unknown account" : "wrong password");
        }
        if (state.failures() > 0) {
            throttle.reset(key);
        }
        if (!user.active()) {
            audit.record(AuditEvent.of(AuditType.LOGIN_FAILURE, now, ctx).user(user.id()).subject(email.value()).detail("account disabled").build());
            throw LatchkeyException.of(ErrorCode.ACCOUNT_DISABLED, "sign-in to a disabled account");
        }
        if (match == PasswordHasher.Match.MATCH_NEEDS_REHASH && users.rehashPassword(user.id(), user.passwordHash(), hasher.hash(password), now)) {
            audit.record(AuditEvent.of(AuditType.PASSWORD_REHASHED, now, ctx).user(user.id()).build());
        }
        audit.record(AuditEvent.of(AuditType.LOGIN_SUCCESS, now, ctx).user(user.id()).subject(email.value()).build());
        return user;
    }

    /** Verifies the current password, then sets the new one: every session of the user ends. */
    public int changePassword(UUID userId, String currentPassword, String newPassword, RequestContext ctx) {
        User user = users.findById(userId).orElseThrow(() -> LatchkeyException.of(ErrorCode.UNAUTHENTICATED, "user gone"));
        if (!user.hasPassword() || !hasher.verify(currentPassword == null ? "" : currentPassword, user.passwordHash()).ok()) {
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
        checkPassword(newPassword, user.email());
        Instant now = clock.instant();
        int version = users.changePassword(user.id(), hasher.hash(newPassword), now)
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "user vanished during password change"));
        audit.record(AuditEvent.of(AuditType.PASSWORD_CHANGED, now, ctx).user(user.id()).build());
        return version;
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
        return rules.violations(password == null ? "" : password, email);
    }

    private void checkPassword(String password, EmailAddress email) {
        List<String> problems = passwordViolations(password, email);
        if (!problems.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.WEAK_PASSWORD, String.join(" ", problems), "password policy");
        }
    }

    private String throttleKey(EmailAddress email) {
        return HexFormat.of().formatHex(throttleKey.sign(email.value()), 0, 20);
    }

    private static long secondsUntil(Instant now, Instant until) {
        return Math.max(1, Duration.between(now, until).toMillis() / 1000 + 1);
    }

    private static String normaliseName(String name) {
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
