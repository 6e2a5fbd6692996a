package dev.latchkey.core.credential;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordRules;
import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The password credential: checking one (with the same work for an unknown account), re-hashing
 * legacy hashes on a successful check, and setting a new one under the password policy.
 */
public final class PasswordCredentials {
    private final PasswordStore store;
    private final PasswordHasher hasher;
    private final PasswordRules rules;
    private final AuditSink audit;
    private final Clock clock;

    public PasswordCredentials(PasswordStore store, PasswordHasher hasher, PasswordRules rules, AuditSink audit, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Checks {@code password} against the user's hash; a null user or one without a password costs the same and fails. */
    public PasswordHasher.Match verify(User user, String password) {
        String p = password == null ? "" : password;
        if (user == null || !user.hasPassword()) {
            hasher.verifyDummy(p);
            return PasswordHasher.Match.MISMATCH;
        }
        return hasher.verify(p, user.passwordHash());
    }

    /** After a successful check: stores a current-format hash when the stored one is legacy. */
    public void upgradeIfNeeded(User user, String password, PasswordHasher.Match match, RequestContext ctx) {
        Instant now = clock.instant();
        if (match == PasswordHasher.Match.MATCH_NEEDS_REHASH
                && store.rehashPassword(user.id(), user.passwordHash(), hasher.hash(password), now)) {
            audit.record(AuditEvent.of(AuditType.PASSWORD_REHASHED, now, ctx).user(user.id()).build());
        }
    }

    /** Spends the work of one verification (for answers that must not reveal whether an account exists). */
    public void spendVerification(String password) {
        hasher.verifyDummy(password == null ? "" : password);
    }

    public String hash(String password) {
        return hasher.hash(password);
    }

    /** Sets a new password (policy-checked): bumps the security version, so every session ends. Returns the new version. */
    public int set(User user, String newPassword, String detail, RequestContext ctx) {
        check(newPassword, user.email());
        Instant now = clock.instant();
        int version = store.changePassword(user.id(), hasher.hash(newPassword), now)
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.NOT_FOUND, "user vanished during password change"));
        audit.record(AuditEvent.of(AuditType.PASSWORD_CHANGED, now, ctx).user(user.id()).detail(detail).build());
        return version;
    }

    public List<String> violations(String password, EmailAddress email) {
        return rules.violations(password == null ? "" : password, email);
    }

    public void check(String password, EmailAddress email) {
        List<String> problems = violations(password, email);
        if (!problems.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.WEAK_PASSWORD, String.join(" ", problems), "password policy");
        }
    }
}
