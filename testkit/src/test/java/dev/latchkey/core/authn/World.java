package dev.latchkey.core.authn;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.EmailChange;
import dev.latchkey.core.account.EmailVerification;
import dev.latchkey.core.account.PasswordReset;
import dev.latchkey.core.account.Registration;
import dev.latchkey.core.account.SignupRequest;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.credential.PasswordCredentials;
import dev.latchkey.core.credential.SecondFactor;
import dev.latchkey.core.mail.MailFlowPolicy;
import dev.latchkey.core.mail.MailTokens;
import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.memory.MemoryAuditLog;
import dev.latchkey.testkit.memory.MemoryLoginThrottle;
import dev.latchkey.testkit.memory.MemoryMailTokenStore;
import dev.latchkey.testkit.memory.MemoryUserStore;
import dev.latchkey.testkit.memory.PlainPasswords;
import dev.latchkey.testkit.memory.RecordingMailer;
import dev.latchkey.core.credential.FactorAttempts;
import dev.latchkey.core.credential.recovery.RecoveryCodes;
import dev.latchkey.core.credential.totp.TotpCredentials;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.testkit.memory.MemoryPendingSignInStore;
import dev.latchkey.testkit.memory.MemoryRecoveryCodeStore;
import dev.latchkey.testkit.memory.MemoryTotpStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The sign-in services over in-memory stores and a clock the test moves. */
public final class World {
    public static final RequestContext CTX = new RequestContext("203.0.113.9", "JUnit", "trace");
    public static final LockoutPolicy LOCKOUT = new LockoutPolicy(3, Duration.ofSeconds(30), Duration.ofMinutes(15), Duration.ofHours(1));

    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    public final MemoryUserStore users = new MemoryUserStore();
    public final MemoryAuditLog audit = new MemoryAuditLog();
    public final PlainPasswords hasher = new PlainPasswords();
    public final RecordingMailer mailer = new RecordingMailer();
    public final PasswordCredentials passwords = new PasswordCredentials(users, hasher, hasher, audit, clock);
    public final AccountService accounts = new AccountService(users, passwords, audit, clock);
    public final MailTokens tokens = new MailTokens(new MemoryMailTokenStore(users), audit, clock);
    public final MailFlowPolicy policy;
    public final LoginFlow flow;
    public final EmailVerification verification;
    public final PasswordReset reset;
    public final MagicLinks magicLinks;
    public final EmailChange emailChange;
    public final MemoryLoginThrottle throttle = new MemoryLoginThrottle();
    public final MasterKey masterKey = MasterKey.generate();
    public final FactorAttempts factorAttempts = new FactorAttempts(throttle, LOCKOUT, audit, masterKey.derive("factor-throttle"));
    public final TotpCredentials totp = new TotpCredentials(new MemoryTotpStore(), masterKey, factorAttempts, audit, clock, "Latchkey Test");
    public final RecoveryCodes recovery = new RecoveryCodes(new MemoryRecoveryCodeStore(), factorAttempts, audit, clock,
            masterKey.derive("recovery-codes"));
    public final Map<UUID, List<String>> roles = new ConcurrentHashMap<>();
    public final MfaChallenges challenges;
    public final Registration registration;

    public World() {
        this(VerificationPolicy.OPTIONAL, List.of());
    }

    public World(VerificationPolicy verificationPolicy, List<SecondFactor> secondFactors) {
        this(verificationPolicy, secondFactors, MfaPolicy.OPTIONAL);
    }

    /** A world whose flow has the real second factors (TOTP, recovery codes) under {@code mfaPolicy}. */
    public static World withMfa(MfaPolicy mfaPolicy) {
        return new World(VerificationPolicy.OPTIONAL, null, mfaPolicy);
    }

    private World(VerificationPolicy verificationPolicy, List<SecondFactor> secondFactors, MfaPolicy mfaPolicy) {
        policy = new MailFlowPolicy(verificationPolicy, Duration.ofHours(24), Duration.ofMinutes(15), Duration.ofMinutes(15), true, true);
        flow = new LoginFlow(users, passwords, secondFactors == null ? List.of(totp, recovery) : secondFactors, throttle, LOCKOUT,
                verificationPolicy, audit, clock, new byte[32], mfaPolicy, id -> roles.getOrDefault(id, List.of()));
        challenges = new MfaChallenges(new MemoryPendingSignInStore(), flow, List.of(totp, recovery), clock);
        verification = new EmailVerification(users, tokens, mailer, policy, audit, clock);
        reset = new PasswordReset(users, passwords, tokens, mailer, policy, audit, clock);
        magicLinks = new MagicLinks(users, tokens, mailer, flow, policy, audit, clock);
        emailChange = new EmailChange(users, passwords, tokens, mailer, policy, audit, clock);
        registration = new Registration(accounts, users, mailer, verificationPolicy, audit, clock);
    }

    public User user(String password) {
        return accounts.signup(new SignupRequest("u-" + UUID.randomUUID() + "@example.test", password, "Ada"), CTX);
    }

    public User fresh(User u) {
        return users.findById(u.id()).orElseThrow();
    }
}
