package dev.latchkey.core.credential.passkey;

import static dev.latchkey.core.authn.World.CTX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.Acr;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.MfaChallenges;
import dev.latchkey.core.authn.MfaChallenges.Completion;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.authn.SignInOutcome.FailureReason;
import dev.latchkey.core.authn.World;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.testkit.memory.MemoryIdentityStore;
import dev.latchkey.testkit.memory.MemoryPasskeyChallengeStore;
import dev.latchkey.testkit.memory.MemoryPasskeyStore;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A passkey as the second step of a pending sign-in: {@link PasskeyMfa} over the challenges of {@link MfaChallenges}. */
class PasskeyMfaTest {
    final MemoryPasskeyStore store = new MemoryPasskeyStore();
    final World w = new World(VerificationPolicy.OPTIONAL, List.of(new PasskeySecondFactor(store)));
    final RelyingParty rp = RelyingParty.of(URI.create("https://login.example.com"), "", List.of(), "Example");
    final PasskeyService passkeys = new PasskeyService(store, new MemoryPasskeyChallengeStore(), w.users, new MemoryIdentityStore(w.users), rp,
            w.audit, w.clock);
    final PasskeyMfa mfa = new PasskeyMfa(w.challenges, passkeys, w.factorAttempts, w.clock);
    final String browser = RandomTokens.token();

    private User withPasskey(SoftAuthenticator a) {
        User u = w.user("password-1");
        CeremonyOptions.Creation o = passkeys.beginRegistration(u.id(), w.clock.instant(), browser);
        passkeys.finishRegistration(u.id(), w.clock.instant(), browser, a.register(o), "Laptop", CTX);
        return u;
    }

    private MfaChallenges.Challenge afterPassword(User u) {
        SignInOutcome.StepNeeded step = (SignInOutcome.StepNeeded) w.flow.password(u.email().value(), "password-1", CTX);
        assertThat(step.factors()).containsExactly(Factor.PASSKEY);
        return w.challenges.issue(step, browser);
    }

    @Test
    void theUsersPasskeyCompletesTheChallengeOnceAndTheSignInIsMultiFactor() {
        SoftAuthenticator mine = new SoftAuthenticator();
        User u = withPasskey(mine);
        MfaChallenges.Challenge c = afterPassword(u);
        CeremonyOptions.Request o = mfa.options(c.token(), browser);
        assertThat(o.allowCredentials()).extracting(CeremonyOptions.Descriptor::id).containsExactly(SoftAuthenticator.b64(mine.credentialId));

        String response = mine.assertion(o);
        Completion.Done done = (Completion.Done) mfa.complete(c.token(), browser, response, CTX);
        SignInOutcome.SignedIn s = (SignInOutcome.SignedIn) done.outcome();
        assertThat(done.factor()).isEqualTo(Factor.PASSKEY);
        assertThat(s.authentication().storedAmr()).isEqualTo("pwd hwk user mfa");
        assertThat(s.authentication().acr()).isEqualTo(Acr.MULTI_FACTOR);

        // the challenge is spent
        Completion.Done again = (Completion.Done) mfa.complete(c.token(), browser, mine.assertion(passkeys.beginSecondFactor(u.id(), browser)), CTX);
        assertThat(((SignInOutcome.Failed) again.outcome()).reason()).isEqualTo(FailureReason.CHALLENGE_INVALID);
        assertThatThrownBy(() -> mfa.options(c.token(), browser)).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MFA_CHALLENGE_INVALID));
    }

    @Test
    void anotherBrowserGetsNoOptionsAndCannotCompleteWhileTheOwnBrowserStillCan() {
        SoftAuthenticator mine = new SoftAuthenticator();
        User u = withPasskey(mine);
        MfaChallenges.Challenge c = afterPassword(u);
        String thief = RandomTokens.token();
        assertThatThrownBy(() -> mfa.options(c.token(), thief)).isInstanceOfSatisfying(LatchkeyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MFA_CHALLENGE_INVALID));
        String forThief = mine.assertion(passkeys.beginSecondFactor(u.id(), thief));
        Completion.Done stolen = (Completion.Done) mfa.complete(c.token(), thief, forThief, CTX);
        assertThat(((SignInOutcome.Failed) stolen.outcome()).reason()).isEqualTo(FailureReason.CHALLENGE_INVALID);
        assertThat(w.audit.ofType(AuditType.PASSKEY_USED)).isEmpty();

        Completion.Done done = (Completion.Done) mfa.complete(c.token(), browser, mine.assertion(mfa.options(c.token(), browser)), CTX);
        assertThat(done.outcome()).isInstanceOf(SignInOutcome.SignedIn.class);
    }

    @Test
    void refusedAssertionsGetAFreshChallengeAndCountTowardTheFactorLockout() {
        SoftAuthenticator mine = new SoftAuthenticator();
        User u = withPasskey(mine);
        User other = withPasskey(new SoftAuthenticator());
        SoftAuthenticator theirs = new SoftAuthenticator();
        CeremonyOptions.Creation reg = passkeys.beginRegistration(other.id(), w.clock.instant(), browser);
        passkeys.finishRegistration(other.id(), w.clock.instant(), browser, theirs.register(reg), "Theirs", CTX);

        MfaChallenges.Challenge c = afterPassword(u);
        String token = c.token();
        for (int i = 0; i < World.LOCKOUT.threshold(); i++) {
            String response = i == 0 ? theirs.assertion(mfa.options(token, browser))                       // another user's passkey
                    : i == 1 ? mine.assertion(passkeys.beginSignIn(browser))                                 // a passwordless challenge
                    : "{\"id\":\"x\",\"type\":\"public-key\",\"response\":{}}";                          // garbage
            Completion.Retry r = (Completion.Retry) mfa.complete(token, browser, response, CTX);
            assertThat(r.check().status()).isEqualTo(FactorCheck.Status.REFUSED);
            assertThat(r.check().status().errorCode()).isEqualTo(ErrorCode.PASSKEY_INVALID);
            assertThat(r.next().token()).isNotEqualTo(token);
            token = r.next().token();
        }
        // locked now: even the right passkey is not judged, and the sign-in ends
        Completion.Done locked = (Completion.Done) mfa.complete(token, browser, mine.assertion(mfa.options(token, browser)), CTX);
        assertThat(((SignInOutcome.Failed) locked.outcome()).reason()).isEqualTo(FailureReason.SECOND_FACTOR_LOCKED);
        assertThat(w.audit.ofType(AuditType.MFA_LOCKED)).hasSize(1);
        assertThat(w.audit.ofType(AuditType.PASSKEY_USED)).isEmpty();
        assertThat(w.factorAttempts.lockedFor(u.id(), w.clock.instant())).isPositive();
    }

    @Test
    void ofTwentyConcurrentCompletionsOfOneChallengeExactlyOneSignsIn() throws Exception {
        SoftAuthenticator mine = new SoftAuthenticator();
        User u = withPasskey(mine);
        MfaChallenges.Challenge c = afterPassword(u);
        String response = mine.assertion(mfa.options(c.token(), browser));
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Completion>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return mfa.complete(c.token(), browser, response, CTX);
                }));
            }
            go.countDown();
            List<Completion> all = new ArrayList<>();
            for (Future<Completion> f : results) {
                all.add(f.get());
            }
            assertThat(all).filteredOn(d -> d instanceof Completion.Done done && done.outcome() instanceof SignInOutcome.SignedIn).hasSize(1);
            assertThat(all).filteredOn(d -> d instanceof Completion.Done done && done.outcome() instanceof SignInOutcome.Failed f
                    && f.reason() == FailureReason.CHALLENGE_INVALID).hasSize(n - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(w.audit.ofType(AuditType.PASSKEY_USED)).hasSize(1);
    }
}
