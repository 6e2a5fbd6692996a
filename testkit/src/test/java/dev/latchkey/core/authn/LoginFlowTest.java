package dev.latchkey.core.authn;

import static dev.latchkey.core.authn.World.CTX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.credential.SecondFactor;
import dev.latchkey.core.error.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LoginFlowTest {
    @Test
    void aCorrectPasswordSignsInWithPwdOneFactorAndTheTimeOfTheStep() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.clock.advance(Duration.ofMinutes(3));
        SignInOutcome o = w.flow.password(u.email().value(), "correct horse battery", CTX);
        assertThat(o).isInstanceOf(SignInOutcome.SignedIn.class);
        Authentication a = ((SignInOutcome.SignedIn) o).authentication();
        assertThat(a.amr()).containsExactly(Amr.PWD);
        assertThat(a.storedAmr()).isEqualTo("pwd");
        assertThat(a.acr()).isEqualTo(Acr.ONE_FACTOR);
        assertThat(a.authTime()).isEqualTo(w.clock.instant());
        assertThat(w.audit.ofType(AuditType.LOGIN_SUCCESS)).hasSize(1);
    }

    /**
     * Every failed first step costs exactly one password verification through the injected hasher,
     * whatever made it fail: a wrong password, no such account, an account without a password, a
     * disabled account, a malformed address. (OWASP Authentication Cheat Sheet, "authentication
     * responses": the answer's time must not tell which.) A locked identifier costs none, known or not.
     */
    @Test
    void everyFailedSignInCostsExactlyOneVerification() {
        World w = new World();
        User known = w.user("correct horse battery");
        User disabled = w.user("correct horse battery");
        w.users.setStatus(disabled.id(), UserStatus.DISABLED, w.clock.instant());
        User noPassword = new User(UUID.randomUUID(), dev.latchkey.core.account.EmailAddress.parse("nopw-" + UUID.randomUUID() + "@example.test"),
                true, null, null, UserStatus.ACTIVE, 1, w.clock.instant(), w.clock.instant());
        assertThat(w.users.create(noPassword)).isTrue();
        String[][] attempts = {
            {known.email().value(), "wrong password!"},
            {"nobody-" + UUID.randomUUID() + "@example.test", "wrong password!"},
            {noPassword.email().value(), "wrong password!"},
            {disabled.email().value(), "wrong password!"},
            {disabled.email().value(), "correct horse battery"},
            {"not an address", "wrong password!"},
        };
        for (String[] a : attempts) {
            int before = w.hasher.verifications();
            SignInOutcome outcome = w.flow.password(a[0], a[1], CTX);
            assertThat(outcome).as(a[0]).isInstanceOf(SignInOutcome.Failed.class);
            assertThat(w.hasher.verifications() - before).as(a[0]).isEqualTo(1);
            assertThat(w.hasher.hashes()).as("no new hash on a failure").isEqualTo(2);
        }
        // lock a known and an unknown identifier: then neither costs a verification
        String unknown = "nobody-" + UUID.randomUUID() + "@example.test";
        for (int i = 0; i < World.LOCKOUT.threshold(); i++) {
            w.flow.password(known.email().value(), "wrong password!", CTX);
            w.flow.password(unknown, "wrong password!", CTX);
        }
        for (String id : new String[] {known.email().value(), unknown}) {
            int before = w.hasher.verifications();
            SignInOutcome.Failed f = (SignInOutcome.Failed) w.flow.password(id, "wrong password!", CTX);
            assertThat(f.code()).as(id).isEqualTo(ErrorCode.ACCOUNT_LOCKED);
            assertThat(w.hasher.verifications() - before).as(id).isZero();
        }
    }

    @Test
    void anUnknownAccountAndAWrongPasswordLookTheSameAndCostTheSame() {
        World w = new World();
        User u = w.user("correct horse battery");
        int before = w.hasher.verifications();
        SignInOutcome.Failed wrong = (SignInOutcome.Failed) w.flow.password(u.email().value(), "wrong password!", CTX);
        int afterWrong = w.hasher.verifications();
        SignInOutcome.Failed unknown = (SignInOutcome.Failed) w.flow.password("nobody-" + UUID.randomUUID() + "@example.test", "x", CTX);
        assertThat(afterWrong - before).isEqualTo(1);
        assertThat(w.hasher.verifications() - afterWrong).isEqualTo(1);
        assertThat(wrong.code()).isEqualTo(unknown.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(wrong.userMessage()).isEqualTo(unknown.userMessage());
        assertThat(wrong.reason()).isEqualTo(SignInOutcome.FailureReason.WRONG_PASSWORD);
        assertThat(unknown.reason()).isEqualTo(SignInOutcome.FailureReason.UNKNOWN_ACCOUNT);
        assertThat(((SignInOutcome.Failed) w.flow.password("not an address", "x", CTX)).code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
    }

    @Test
    void repeatedFailuresLockTheIdentifierUntilTheLockRunsOut() {
        World w = new World();
        User u = w.user("correct horse battery");
        for (int i = 0; i < 3; i++) {
            w.flow.password(u.email().value(), "wrong password!", CTX);
        }
        SignInOutcome.Failed locked = (SignInOutcome.Failed) w.flow.password(u.email().value(), "correct horse battery", CTX);
        assertThat(locked.code()).isEqualTo(ErrorCode.ACCOUNT_LOCKED);
        assertThat(locked.retryAfterSeconds()).isBetween(1L, 31L);
        assertThat(locked.toException().retryAfterSeconds()).isPositive();
        w.clock.advance(Duration.ofSeconds(31));
        assertThat(w.flow.password(u.email().value(), "correct horse battery", CTX)).isInstanceOf(SignInOutcome.SignedIn.class);
    }

    @Test
    void anUpstreamSignInIsFedWithItsProviderAndGoesThroughTheSameDecision() {
        World w = new World();
        User u = w.user("correct horse battery");
        SignInOutcome o = w.flow.upstream(u, "github", false, CTX);
        Authentication a = ((SignInOutcome.SignedIn) o).authentication();
        assertThat(a.amr()).containsExactly(Amr.FED);
        assertThat(a.idp()).isEqualTo("github");
        assertThat(a.storedAmr()).isEqualTo("fed idp:github");
        assertThat(Authentication.idpOf(a.storedAmr())).contains("github");
        assertThat(Authentication.amrValuesOf(a.storedAmr())).containsExactly("fed");
        assertThat(Amr.parse(a.storedAmr())).containsExactly(Amr.FED);
        assertThat(a.acr()).isEqualTo(Acr.ONE_FACTOR);
        // a trusted upstream multi-factor assertion counts as multi-factor
        Authentication m = ((SignInOutcome.SignedIn) w.flow.upstream(u, "corp", true, CTX)).authentication();
        assertThat(m.amr()).containsExactly(Amr.FED, Amr.MFA);
        assertThat(m.acr()).isEqualTo(Acr.MULTI_FACTOR);
        // the same decision as a password: a disabled account is refused
        w.accounts.setStatus(u.id(), UserStatus.DISABLED, CTX);
        assertThat(((SignInOutcome.Failed) w.flow.upstream(w.users.findById(u.id()).orElseThrow(), "github", false, CTX)).code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
    }

    @Test
    void aDisabledAccountFailsEvenWithTheRightPassword() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.accounts.setStatus(u.id(), UserStatus.DISABLED, CTX);
        SignInOutcome.Failed f = (SignInOutcome.Failed) w.flow.password(u.email().value(), "correct horse battery", CTX);
        assertThat(f.code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        assertThat(f.reason()).isEqualTo(SignInOutcome.FailureReason.DISABLED);
    }

    @Test
    void aLegacyHashIsReplacedAtTheFirstSuccessfulSignIn() {
        World w = new World();
        User u = w.user("correct horse battery");
        w.users.rehashPassword(u.id(), u.passwordHash(), "legacy$correct horse battery", w.clock.instant());
        assertThat(w.flow.password(u.email().value(), "correct horse battery", CTX)).isInstanceOf(SignInOutcome.SignedIn.class);
        assertThat(w.fresh(u).passwordHash()).isEqualTo("test$correct horse battery");
        assertThat(w.audit.ofType(AuditType.PASSWORD_REHASHED)).hasSize(1);
    }

    @Test
    void whenVerificationIsRequiredAnUnverifiedUserNeedsTheMailedLinkWhichThenSignsIn() {
        World w = new World(VerificationPolicy.REQUIRED, List.of());
        User u = w.user("correct horse battery");
        SignInOutcome o = w.flow.password(u.email().value(), "correct horse battery", CTX);
        assertThat(o).isInstanceOf(SignInOutcome.StepNeeded.class);
        assertThat(((SignInOutcome.StepNeeded) o).factors()).containsExactly(Factor.MAIL_LINK);
        SignInOutcome viaMail = w.flow.mailedLink(u, CTX);
        assertThat(((SignInOutcome.SignedIn) viaMail).authentication().amr()).containsExactly(Amr.MAIL);
        assertThat(w.flow.signedUp(u, CTX)).isInstanceOf(SignInOutcome.StepNeeded.class);
    }

    @Test
    void anEnrolledSecondFactorIsAFurtherStepAndBothMakeMultiFactor() {
        SecondFactor mailAsSecond = new SecondFactor() {
            @Override
            public Factor factor() {
                return Factor.MAIL_LINK;
            }

            @Override
            public boolean enrolled(UUID userId) {
                return true;
            }
        };
        World w = new World(VerificationPolicy.OPTIONAL, List.of(mailAsSecond));
        User u = w.user("correct horse battery");
        SignInOutcome.StepNeeded step = (SignInOutcome.StepNeeded) w.flow.password(u.email().value(), "correct horse battery", CTX);
        assertThat(step.factors()).containsExactly(Factor.MAIL_LINK);
        assertThat(step.pending().steps()).extracting(CompletedStep::factor).containsExactly(Factor.PASSWORD);
        w.clock.advance(Duration.ofMinutes(1));
        SignInOutcome.SignedIn done = (SignInOutcome.SignedIn) w.flow.continueWith(step.pending(), Factor.MAIL_LINK, CTX);
        assertThat(done.authentication().amr()).containsExactly(Amr.PWD, Amr.MAIL, Amr.MFA);
        assertThat(done.authentication().acr()).isEqualTo(Acr.MULTI_FACTOR);
        assertThat(done.authentication().authTime()).isEqualTo(w.clock.instant());

        w.clock.advance(LoginFlow.PENDING_TTL.plusSeconds(1));
        SignInOutcome late = w.flow.continueWith(step.pending(), Factor.MAIL_LINK, CTX);
        assertThat(((SignInOutcome.Failed) late).reason()).isEqualTo(SignInOutcome.FailureReason.PENDING_EXPIRED);
    }

    @Test
    void theStoredAmrFormStaysCompatible() {
        assertThat(Amr.parse("pwd")).containsExactly(Amr.PWD);
        assertThat(Amr.parse(null)).containsExactly(Amr.PWD);
        assertThat(Amr.parse("pwd otp mfa")).containsExactly(Amr.PWD, Amr.OTP, Amr.MFA);
        assertThat(Amr.parse("pwd future-thing")).containsExactly(Amr.PWD);
        assertThat(Amr.format(List.of(Amr.MAIL))).isEqualTo("mail");
        assertThat(Amr.FED.wireName()).isEqualTo("fed");
    }
}
