package dev.latchkey.core.authn;

import static dev.latchkey.core.authn.World.CTX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.User;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.MfaChallenges.Completion;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.credential.totp.Base32;
import dev.latchkey.core.credential.totp.Totp;
import dev.latchkey.core.credential.totp.TotpEnrolment;
import dev.latchkey.core.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The second step of the login flow with real TOTP and recovery codes over in-memory stores. */
class MfaSignInTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String BROWSER = "binding-of-this-browser-0123456789abcdefghij";

    private static String code(World w, TotpEnrolment e, long offsetSteps) {
        return Totp.DEFAULT.code(Base32.decode(e.secret()), Totp.DEFAULT.step(w.clock.instant()) + offsetSteps);
    }

    /** A user with a confirmed authenticator app; the clock is moved past the confirming code's step. */
    private static TotpEnrolment enrolled(World w, User u) {
        TotpEnrolment e = w.totp.begin(u);
        assertThat(w.totp.confirmEnrolment(u.id(), code(w, e, 0), CTX).accepted()).isTrue();
        w.clock.advance(Duration.ofSeconds(30));
        return e;
    }

    private static SignInOutcome.StepNeeded passwordStep(World w, User u) {
        SignInOutcome o = w.flow.password(u.email().value(), PASSWORD, CTX);
        assertThat(o).isInstanceOf(SignInOutcome.StepNeeded.class);
        return (SignInOutcome.StepNeeded) o;
    }

    @Test
    void enrolmentIsPendingUntilAValidCodeAndTheUriIsTheKeyUriFormat() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        TotpEnrolment e = w.totp.begin(u);
        assertThat(e.secret()).hasSize(32);
        assertThat(e.uri()).startsWith("otpauth://totp/Latchkey%20Test:" + u.email().value().replace("@", "%40") + "?secret=" + e.secret())
                .endsWith("&issuer=Latchkey%20Test&algorithm=SHA1&digits=6&period=30");
        assertThat(w.totp.enrolled(u.id())).isFalse();
        assertThat(w.flow.password(u.email().value(), PASSWORD, CTX)).as("pending secrets ask nothing").isInstanceOf(SignInOutcome.SignedIn.class);
        assertThat(w.totp.confirmEnrolment(u.id(), "000000".equals(code(w, e, 0)) ? "111111" : "000000", CTX).status())
                .isEqualTo(FactorCheck.Status.WRONG);
        assertThat(w.totp.confirmEnrolment(u.id(), code(w, e, 0), CTX).accepted()).isTrue();
        assertThat(w.totp.enrolled(u.id())).isTrue();
        assertThat(w.audit.ofType(AuditType.MFA_ENROLLED)).hasSize(1);
        assertThat(w.totp.pending(u)).isEmpty();
    }

    @Test
    void passwordThenTotpSignsInWithOtpAndMfa() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        TotpEnrolment e = enrolled(w, u);
        w.recovery.generate(u.id(), CTX);
        SignInOutcome.StepNeeded step = passwordStep(w, u);
        assertThat(step.factors()).containsExactlyInAnyOrder(Factor.TOTP, Factor.RECOVERY_CODE);
        assertThat(step.enrolment()).isFalse();
        MfaChallenges.Challenge c = w.challenges.issue(step, BROWSER);
        w.clock.advance(Duration.ofSeconds(5));
        Completion done = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        SignInOutcome.SignedIn in = (SignInOutcome.SignedIn) ((Completion.Done) done).outcome();
        assertThat(in.authentication().amr()).containsExactly(Amr.PWD, Amr.OTP, Amr.MFA);
        assertThat(in.authentication().acr()).isEqualTo(Acr.MULTI_FACTOR);
        assertThat(in.authentication().authTime()).isEqualTo(w.clock.instant());
        assertThat(w.audit.ofType(AuditType.MFA_SUCCESS)).hasSize(1);
        // the challenge is spent
        Completion again = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        assertThat(((SignInOutcome.Failed) ((Completion.Done) again).outcome()).code()).isEqualTo(ErrorCode.MFA_CHALLENGE_INVALID);
    }

    @Test
    void aCodeIsAcceptedOncePerStepAndOneStepOfDriftEachWay() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        TotpEnrolment e = enrolled(w, u);
        String now = code(w, e, 0);
        assertThat(w.totp.verify(u.id(), now, CTX).accepted()).isTrue();
        assertThat(w.totp.verify(u.id(), now, CTX).status()).isEqualTo(FactorCheck.Status.REPLAYED);
        assertThat(w.totp.verify(u.id(), code(w, e, -1), CTX).status()).as("an older step after a newer one").isEqualTo(FactorCheck.Status.REPLAYED);
        assertThat(w.totp.verify(u.id(), code(w, e, 1), CTX).accepted()).as("the next step (clock drift)").isTrue();
        w.clock.advance(Duration.ofSeconds(120));
        assertThat(w.totp.verify(u.id(), code(w, e, -2), CTX).status()).as("expired").isEqualTo(FactorCheck.Status.WRONG);
        assertThat(w.totp.verify(u.id(), code(w, e, 2), CTX).status()).as("too far ahead").isEqualTo(FactorCheck.Status.WRONG);
        assertThat(w.totp.verify(u.id(), "12345", CTX).status()).isEqualTo(FactorCheck.Status.WRONG);
        // that was the third failure in a row: the user is locked, even for a right code
        assertThat(w.totp.verify(u.id(), code(w, e, 0), CTX).status()).isEqualTo(FactorCheck.Status.LOCKED);
    }

    @Test
    void aWrongCodeGetsAFreshChallengeAndRepeatedFailuresLockTheUser() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        TotpEnrolment e = enrolled(w, u);
        MfaChallenges.Challenge c = w.challenges.issue(passwordStep(w, u), BROWSER);
        String wrong = code(w, e, 5);
        for (int i = 0; i < World.LOCKOUT.threshold(); i++) {
            Completion.Retry r = (Completion.Retry) w.challenges.complete(c.token(), BROWSER, Factor.TOTP, wrong, CTX);
            assertThat(r.check().status()).isEqualTo(FactorCheck.Status.WRONG);
            assertThat(r.next().token()).isNotEqualTo(c.token());
            assertThat(((Completion.Done) w.challenges.complete(c.token(), BROWSER, Factor.TOTP, wrong, CTX)).outcome())
                    .as("the old challenge is spent").isInstanceOf(SignInOutcome.Failed.class);
            c = r.next();
        }
        Completion locked = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        SignInOutcome.Failed f = (SignInOutcome.Failed) ((Completion.Done) locked).outcome();
        assertThat(f.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED);
        assertThat(f.retryAfterSeconds()).isPositive();
        assertThat(w.audit.ofType(AuditType.MFA_LOCKED)).hasSize(1);
        assertThat(w.audit.ofType(AuditType.MFA_FAILURE)).hasSizeGreaterThanOrEqualTo(World.LOCKOUT.threshold());
    }

    @Test
    void aChallengeFromAnotherBrowserIsRefusedAndStaysUsableForItsOwn() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        TotpEnrolment e = enrolled(w, u);
        MfaChallenges.Challenge c = w.challenges.issue(passwordStep(w, u), BROWSER);
        Completion other = w.challenges.complete(c.token(), "another-browser", Factor.TOTP, code(w, e, 0), CTX);
        assertThat(((SignInOutcome.Failed) ((Completion.Done) other).outcome()).code()).isEqualTo(ErrorCode.MFA_CHALLENGE_INVALID);
        assertThat(w.challenges.complete(c.token(), null, Factor.TOTP, code(w, e, 0), CTX)).isInstanceOf(Completion.Done.class);
        Completion mine = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        assertThat(((Completion.Done) mine).outcome()).isInstanceOf(SignInOutcome.SignedIn.class);
    }

    @Test
    void anExpiredChallengeIsRefused() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        TotpEnrolment e = enrolled(w, u);
        MfaChallenges.Challenge c = w.challenges.issue(passwordStep(w, u), BROWSER);
        w.clock.advance(MfaChallenges.TTL);
        Completion late = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        assertThat(((SignInOutcome.Failed) ((Completion.Done) late).outcome()).code()).isEqualTo(ErrorCode.MFA_CHALLENGE_INVALID);
    }

    @Test
    void aRecoveryCodeSignsInOnceAndIsAudited() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        enrolled(w, u);
        List<String> codes = w.recovery.generate(u.id(), CTX);
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(c -> c.matches("[0-9a-z]{5}-[0-9a-z]{5}"));
        MfaChallenges.Challenge c = w.challenges.issue(passwordStep(w, u), BROWSER);
        Completion done = w.challenges.complete(c.token(), BROWSER, Factor.RECOVERY_CODE, " " + codes.get(3).toUpperCase() + " ", CTX);
        SignInOutcome.SignedIn in = (SignInOutcome.SignedIn) ((Completion.Done) done).outcome();
        assertThat(in.authentication().amr()).containsExactly(Amr.PWD, Amr.OTP, Amr.MFA);
        assertThat(w.recovery.remaining(u.id())).isEqualTo(9);
        assertThat(w.audit.ofType(AuditType.RECOVERY_CODE_USED)).singleElement().extracting(ev -> ev.detail()).isEqualTo("9 left");
        MfaChallenges.Challenge c2 = w.challenges.issue(passwordStep(w, u), BROWSER);
        Completion.Retry used = (Completion.Retry) w.challenges.complete(c2.token(), BROWSER, Factor.RECOVERY_CODE, codes.get(3), CTX);
        assertThat(used.check().status()).isEqualTo(FactorCheck.Status.WRONG);
        // regenerating kills the old ones
        w.recovery.generate(u.id(), CTX);
        assertThat(w.recovery.verify(u.id(), codes.get(4), CTX).status()).isEqualTo(FactorCheck.Status.WRONG);
    }

    @Test
    void recoveryCodesAloneDoNotAskForASecondStep() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        w.recovery.generate(u.id(), CTX);
        assertThat(w.flow.password(u.email().value(), PASSWORD, CTX)).isInstanceOf(SignInOutcome.SignedIn.class);
    }

    @Test
    void aRequiredPolicyTakesAUserWithoutAFactorToEnrolmentAndEnrollingCompletesTheSignIn() {
        World w = World.withMfa(MfaPolicy.parse("required"));
        User u = w.user(PASSWORD);
        SignInOutcome.StepNeeded step = passwordStep(w, u);
        assertThat(step.enrolment()).isTrue();
        assertThat(step.factors()).containsExactly(Factor.TOTP);
        MfaChallenges.Challenge c = w.challenges.issue(step, BROWSER);
        MfaChallenges.View view = w.challenges.peek(c.token(), BROWSER).orElseThrow();
        assertThat(view.enrolment()).isTrue();
        TotpEnrolment e = w.totp.begin(w.users.findById(view.userId()).orElseThrow());
        Completion done = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        SignInOutcome.SignedIn in = (SignInOutcome.SignedIn) ((Completion.Done) done).outcome();
        assertThat(in.authentication().acr()).isEqualTo(Acr.MULTI_FACTOR);
        assertThat(w.totp.enrolled(u.id())).isTrue();
    }

    @Test
    void aRolesPolicyAsksOnlyHoldersOfTheRoles() {
        World w = World.withMfa(MfaPolicy.parse("admin, billing"));
        User admin = w.user(PASSWORD);
        User plain = w.user(PASSWORD);
        w.roles.put(admin.id(), List.of("billing"));
        w.roles.put(plain.id(), List.of("viewer"));
        assertThat(passwordStep(w, admin).enrolment()).isTrue();
        assertThat(w.flow.password(plain.email().value(), PASSWORD, CTX)).isInstanceOf(SignInOutcome.SignedIn.class);
        assertThat(MfaPolicy.parse("admin, billing").roles()).isEqualTo(Set.of("admin", "billing"));
    }

    @Test
    void anOrganizationInThePolicyAsksItsMembersWhateverTheirRoleAndAnyMembershipsRolesCount() {
        java.util.UUID corp = java.util.UUID.randomUUID();
        java.util.UUID other = java.util.UUID.randomUUID();
        MfaPolicy policy = MfaPolicy.parse("admin, org:" + corp);
        World w = World.withMfa(policy);
        User member = w.user(PASSWORD);
        User adminElsewhere = w.user(PASSWORD);
        User outsider = w.user(PASSWORD);
        w.roles.put(member.id(), MfaPolicy.attributesOf(List.of(memberOf(corp, "viewer"))).stream().toList());
        // admin in a second organization: switching to the first cannot dodge the rule
        w.roles.put(adminElsewhere.id(), MfaPolicy.attributesOf(List.of(memberOf(other, "viewer"), memberOf(java.util.UUID.randomUUID(), "admin")))
                .stream().toList());
        w.roles.put(outsider.id(), MfaPolicy.attributesOf(List.of(memberOf(other, "viewer"))).stream().toList());
        assertThat(passwordStep(w, member).enrolment()).isTrue();
        assertThat(passwordStep(w, adminElsewhere).enrolment()).isTrue();
        assertThat(w.flow.password(outsider.email().value(), PASSWORD, CTX)).isInstanceOf(SignInOutcome.SignedIn.class);
        assertThat(policy.text()).contains("org:" + corp, "admin");
        assertThatThrownBy(() -> MfaPolicy.parse("admin, org:corp")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UUID");
        assertThatThrownBy(() -> MfaPolicy.parse("admin,,billing")).isInstanceOf(IllegalArgumentException.class);
    }

    private static dev.latchkey.core.org.OrgStore.MemberOf memberOf(java.util.UUID org, String role) {
        return new dev.latchkey.core.org.OrgStore.MemberOf(new dev.latchkey.core.org.Organization(org, "o", java.time.Instant.EPOCH), List.of(role));
    }

    @Test
    void stepUpOfASignedInUserAsksTheirFactorOrEnrolment() {
        World w = World.withMfa(MfaPolicy.OPTIONAL);
        User u = w.user(PASSWORD);
        List<CompletedStep> session = List.of(new CompletedStep(Factor.PASSWORD, w.clock.instant()));
        assertThat(w.flow.stepUp(u, session).enrolment()).isTrue();
        TotpEnrolment e = enrolled(w, u);
        SignInOutcome.StepNeeded step = w.flow.stepUp(u, session);
        assertThat(step.enrolment()).isFalse();
        MfaChallenges.Challenge c = w.challenges.issue(step, BROWSER);
        Completion done = w.challenges.complete(c.token(), BROWSER, Factor.TOTP, code(w, e, 0), CTX);
        assertThat(((SignInOutcome.SignedIn) ((Completion.Done) done).outcome()).authentication().amr()).containsExactly(Amr.PWD, Amr.OTP, Amr.MFA);
    }
}
