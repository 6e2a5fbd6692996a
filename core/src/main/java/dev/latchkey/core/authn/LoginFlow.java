package dev.latchkey.core.authn;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.SignInOutcome.FailureReason;
import dev.latchkey.core.credential.PasswordCredentials;
import dev.latchkey.core.credential.SecondFactor;
import dev.latchkey.core.crypto.Hmac;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.ratelimit.LockoutPolicy;
import dev.latchkey.core.ratelimit.LoginThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Function;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The one login flow. The hosted pages, the first-party API and the authorization endpoint (through
 * the hosted sign-in it sends the browser to) drive it: each step (a password, a mailed link, later a
 * second factor or an upstream provider) returns a {@link SignInOutcome}, and only
 * {@link SignInOutcome.SignedIn} may start a session.
 *
 * <p>Password steps answer an unknown e-mail and a wrong password the same way and with the same work
 * (a dummy hash verification), and lock an identifier with exponential back-off after repeated
 * failures whether or not the account exists.
 */
public final class LoginFlow {
    /** How long a sign-in may wait between steps. */
    public static final Duration PENDING_TTL = Duration.ofMinutes(10);

    private final UserStore users;
    private final PasswordCredentials passwords;
    private final List<SecondFactor> secondFactors;
    private final LoginThrottle throttle;
    private final LockoutPolicy lockout;
    private final VerificationPolicy verification;
    private final AuditSink audit;
    private final Clock clock;
    private final Hmac throttleKey;
    private final MfaPolicy mfaPolicy;
    private final Function<UUID, Collection<String>> rolesOf;

    /** A flow with MFA optional (users who enrolled a second factor are still asked for it). */
    public LoginFlow(UserStore users, PasswordCredentials passwords, List<SecondFactor> secondFactors, LoginThrottle throttle,
                     LockoutPolicy lockout, VerificationPolicy verification, AuditSink audit, Clock clock, byte[] throttleKey) {
        this(users, passwords, secondFactors, throttle, lockout, verification, audit, clock, throttleKey, MfaPolicy.OPTIONAL, id -> List.of());
    }

    /** {@code rolesOf} gives the roles {@code mfaPolicy} judges a user by (those that go into the user's tokens). */
    public LoginFlow(UserStore users, PasswordCredentials passwords, List<SecondFactor> secondFactors, LoginThrottle throttle,
                     LockoutPolicy lockout, VerificationPolicy verification, AuditSink audit, Clock clock, byte[] throttleKey,
                     MfaPolicy mfaPolicy, Function<UUID, Collection<String>> rolesOf) {
        this.mfaPolicy = Objects.requireNonNull(mfaPolicy, "mfaPolicy");
        this.rolesOf = Objects.requireNonNull(rolesOf, "rolesOf");
        this.users = Objects.requireNonNull(users, "users");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.secondFactors = List.copyOf(secondFactors);
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.verification = Objects.requireNonNull(verification, "verification");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.throttleKey = new Hmac(throttleKey);
    }

    public VerificationPolicy verification() {
        return verification;
    }

    public MfaPolicy mfaPolicy() {
        return mfaPolicy;
    }

    /** The second factors {@code userId} has enrolled (recovery codes only beside a standalone one). */
    public Set<Factor> enrolledSecondFactors(UUID userId) {
        // the standalone factors first: without one, the others (recovery codes) do not count, so they are not asked about
        Set<Factor> enrolled = EnumSet.noneOf(Factor.class);
        for (SecondFactor f : secondFactors) {
            if (f.standalone() && f.enrolled(userId)) {
                enrolled.add(f.factor());
            }
        }
        if (enrolled.isEmpty()) {
            return enrolled;
        }
        for (SecondFactor f : secondFactors) {
            if (!f.standalone() && f.enrolled(userId)) {
                enrolled.add(f.factor());
            }
        }
        return enrolled;
    }

    /**
     * A signed-in user asked for a second factor on top of their session's steps (OIDC
     * {@code acr_values} asking for MFA, a sensitive action): the further step, or the enrolment
     * when the user has no second factor. {@code steps} are the session's (its first factor, at its
     * {@code auth_time}).
     */
    public SignInOutcome.StepNeeded stepUp(User user, List<CompletedStep> steps) {
        PendingSignIn pending = new PendingSignIn(user.id(), steps, clock.instant());
        Set<Factor> enrolled = enrolledSecondFactors(user.id());
        if (enrolled.isEmpty()) {
            return new SignInOutcome.StepNeeded(user, pending, enrolable(), "Set up a second factor to continue.", true);
        }
        return new SignInOutcome.StepNeeded(user, pending, enrolled, "Confirm it is you with your second factor.");
    }

    /** A password as the first step. */
    public SignInOutcome password(String rawEmail, String password, RequestContext ctx) {
        Instant now = clock.instant();
        EmailAddress email;
        try {
            email = EmailAddress.parse(rawEmail);
        } catch (LatchkeyException e) {
            passwords.spendVerification(password);
            return SignInOutcome.Failed.of(FailureReason.MALFORMED_IDENTIFIER, ErrorCode.INVALID_CREDENTIALS, "sign-in with a malformed e-mail");
        }
        String key = throttleKey(email);
        LoginThrottle.State state = throttle.state(key, now);
        if (state.lockedAt(now)) {
            audit.record(AuditEvent.of(AuditType.LOGIN_LOCKED, now, ctx).subject(email.value()).detail("attempt while locked").build());
            return new SignInOutcome.Failed(FailureReason.LOCKED, ErrorCode.ACCOUNT_LOCKED, null, "identifier is locked",
                    secondsUntil(now, state.lockedUntil()));
        }
        User user = users.findByEmail(email).orElse(null);
        PasswordHasher.Match match = passwords.verify(user, password);
        if (!match.ok()) {
            LoginThrottle.State after = throttle.recordFailure(key, now, lockout);
            FailureReason reason = user == null ? FailureReason.UNKNOWN_ACCOUNT
                    : user.hasPassword() ? FailureReason.WRONG_PASSWORD : FailureReason.NO_PASSWORD;
            String detail = user == null ? "unknown account" : user.hasPassword() ? "wrong password" : "account has no password";
            audit.record(AuditEvent.of(AuditType.LOGIN_FAILURE, now, ctx).user(user == null ? null : user.id())
                    .subject(email.value()).detail(detail).build());
            if (after.lockedAt(now)) {
                audit.record(AuditEvent.of(AuditType.LOGIN_LOCKED, now, ctx).subject(email.value())
                        .detail("locked after " + after.failures() + " failures").build());
            }
            return SignInOutcome.Failed.of(reason, ErrorCode.INVALID_CREDENTIALS, detail);
        }
        if (state.failures() > 0) {
            throttle.reset(key);
        }
        if (user.active()) {
            passwords.upgradeIfNeeded(user, password, match, ctx);
        }
        return decide(user, List.of(new CompletedStep(Factor.PASSWORD, now)), ctx);
    }

    /** The first step of a user who has just signed up with a password. */
    public SignInOutcome signedUp(User user, RequestContext ctx) {
        return decide(user, List.of(new CompletedStep(Factor.PASSWORD, clock.instant())), ctx);
    }

    /**
     * A mailed link or code redeemed for {@code user} (the mail-token service checked it). It proves
     * the mailbox, so it also counts as the verification of the address.
     */
    public SignInOutcome mailedLink(User user, RequestContext ctx) {
        return decide(user, List.of(new CompletedStep(Factor.MAIL_LINK, clock.instant())), ctx);
    }

    /**
     * An upstream identity provider vouched for {@code user} ({@code FederatedSignIn} checked the round trip
     * and the linking rules). It goes through the same decision as a password: a disabled account is refused,
     * an enrolled second factor is asked for, unless the operator trusts the provider's own multi-factor
     * assertion ({@code upstreamMfa}).
     */
    public SignInOutcome upstream(User user, String provider, boolean upstreamMfa, RequestContext ctx) {
        return decide(user, List.of(CompletedStep.upstream(clock.instant(), provider, upstreamMfa)), ctx);
    }

    /**
     * A passkey assertion the passkey service has verified (a discoverable credential: the user
     * was not named first), as the first step. With user verification it is multi-factor by itself.
     */
    public SignInOutcome passkey(UUID userId, CompletedStep step, RequestContext ctx) {
        if (step.factor() != Factor.PASSKEY) {
            throw new IllegalArgumentException("not a passkey step: " + step.factor());
        }
        User user = users.findById(userId).orElse(null);
        if (user == null) {
            return SignInOutcome.Failed.of(FailureReason.UNKNOWN_ACCOUNT, ErrorCode.PASSKEY_UNKNOWN, "passkey of a user that is gone");
        }
        return decide(user, List.of(step), ctx);
    }

    /** Another step of a pending sign-in (a second factor the caller has just verified). */
    public SignInOutcome continueWith(PendingSignIn pending, Factor factor, RequestContext ctx) {
        return continueWith(pending, new CompletedStep(factor, clock.instant()), ctx);
    }

    /** Another step of a pending sign-in, as verified (a passkey's step says which methods it proved). */
    public SignInOutcome continueWith(PendingSignIn pending, CompletedStep step, RequestContext ctx) {
        Instant now = clock.instant();
        if (now.isAfter(pending.startedAt().plus(PENDING_TTL))) {
            return SignInOutcome.Failed.of(FailureReason.PENDING_EXPIRED, ErrorCode.SESSION_EXPIRED, "pending sign-in expired");
        }
        User user = users.findById(pending.userId()).orElse(null);
        if (user == null) {
            return SignInOutcome.Failed.of(FailureReason.UNKNOWN_ACCOUNT, ErrorCode.INVALID_CREDENTIALS, "user gone during sign-in");
        }
        List<CompletedStep> steps = new ArrayList<>(pending.steps());
        steps.add(step);
        return decide(user, steps, ctx);
    }

    private SignInOutcome decide(User user, List<CompletedStep> steps, RequestContext ctx) {
        Instant now = clock.instant();
        if (!user.active()) {
            audit.record(AuditEvent.of(AuditType.LOGIN_FAILURE, now, ctx).user(user.id()).subject(user.email().value())
                    .detail("account disabled").build());
            return SignInOutcome.Failed.of(FailureReason.DISABLED, ErrorCode.ACCOUNT_DISABLED, "sign-in to a disabled account");
        }
        Set<Factor> done = EnumSet.noneOf(Factor.class);
        steps.forEach(s -> done.add(s.factor()));
        PendingSignIn pending = new PendingSignIn(user.id(), steps, steps.get(0).at());
        if (verification == VerificationPolicy.REQUIRED && !user.emailVerified() && !done.contains(Factor.MAIL_LINK)) {
            return new SignInOutcome.StepNeeded(user, pending, Set.of(Factor.MAIL_LINK), mailStepMessage(user.email()));
        }
        Set<Factor> enrolled = enrolledSecondFactors(user.id());
        boolean upstreamMfa = steps.stream().anyMatch(CompletedStep::upstreamMfa);
        boolean secondDone = upstreamMfa || done.stream().anyMatch(f -> enrolled.contains(f) || !f.firstFactor());
        if (!enrolled.isEmpty() && !secondDone) {
            return new SignInOutcome.StepNeeded(user, pending, enrolled, "Confirm it is you with your second factor.");
        }
        if (enrolled.isEmpty() && !secondDone && mfaPolicy.requiredFor(() -> rolesOf.apply(user.id())) && !enrolable().isEmpty()) {
            return new SignInOutcome.StepNeeded(user, pending, enrolable(),
                    "This account must use a second factor: set one up to continue.", true);
        }
        Authentication auth = Authentication.of(steps);
        audit.record(AuditEvent.of(AuditType.LOGIN_SUCCESS, now, ctx).user(user.id()).subject(user.email().value())
                .detail("amr " + auth.storedAmr()).build());
        return new SignInOutcome.SignedIn(user, auth);
    }

    /** The factors a user can enrol during a sign-in (the standalone ones). */
    private Set<Factor> enrolable() {
        Set<Factor> out = EnumSet.noneOf(Factor.class);
        secondFactors.stream().filter(SecondFactor::enrolsDuringSignIn).forEach(f -> out.add(f.factor()));
        return out;
    }

    /** What a person is told while their address awaits verification (also for a sign-up that must look new: Registration). */
    public static String mailStepMessage(EmailAddress email) {
        return "Confirm your e-mail address first: open the link we sent to " + email.value() + ".";
    }

    private String throttleKey(EmailAddress email) {
        return HexFormat.of().formatHex(throttleKey.sign(email.value()), 0, 20);
    }

    private static long secondsUntil(Instant now, Instant until) {
        return Math.max(1, Duration.between(now, until).toMillis() / 1000 + 1);
    }
}
