package dev.latchkey.core.credential.passkey;

import static dev.latchkey.core.authn.World.CTX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.VerificationPolicy;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.authn.Acr;
import dev.latchkey.core.authn.Amr;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.SignInOutcome;
import dev.latchkey.core.authn.World;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.testkit.memory.MemoryIdentityStore;
import dev.latchkey.testkit.memory.MemoryPasskeyChallengeStore;
import dev.latchkey.testkit.memory.MemoryPasskeyStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The registration and authentication ceremonies, against a software authenticator and in-memory stores. */
class PasskeyServiceTest {
    final MemoryPasskeyStore store = new MemoryPasskeyStore();
    final World w = new World(VerificationPolicy.OPTIONAL, List.of(new PasskeySecondFactor(store)));
    final RelyingParty rp = RelyingParty.of(URI.create("https://login.example.com"), "", List.of(), "Example");
    final PasskeyService passkeys = new PasskeyService(store, new MemoryPasskeyChallengeStore(), w.users, new MemoryIdentityStore(w.users), rp,
            w.audit, w.clock);
    final String browser = RandomTokens.token();

    private PasskeyCredential register(User u, SoftAuthenticator a) {
        CeremonyOptions.Creation o = passkeys.beginRegistration(u.id(), w.clock.instant(), browser);
        return passkeys.finishRegistration(u.id(), w.clock.instant(), browser, a.register(o), "Laptop", CTX);
    }

    private static void refused(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LatchkeyException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void registrationOptionsAskForADiscoverableKeyPreferUserVerificationAndExcludeExistingOnes() {
        User u = w.user("password-1");
        CeremonyOptions.Creation first = passkeys.beginRegistration(u.id(), w.clock.instant(), browser);
        assertThat(first.rp()).isEqualTo(new CeremonyOptions.RpEntity("login.example.com", "Example"));
        assertThat(Base64.getUrlDecoder().decode(first.user().id())).hasSize(16);
        assertThat(first.user().name()).isEqualTo(u.email().value());
        assertThat(Base64.getUrlDecoder().decode(first.challenge())).hasSize(32);
        assertThat(first.authenticatorSelection()).isEqualTo(new CeremonyOptions.AuthenticatorSelection("required", true, "preferred"));
        assertThat(first.attestation()).isEqualTo("none");
        assertThat(first.pubKeyCredParams()).extracting(CeremonyOptions.CredentialParameters::alg).containsExactly(-7, -8, -257);
        assertThat(first.excludeCredentials()).isEmpty();
        assertThat(first.timeout()).isEqualTo(300_000);

        SoftAuthenticator a = new SoftAuthenticator();
        PasskeyCredential c = passkeys.finishRegistration(u.id(), w.clock.instant(), browser, a.register(first), " Laptop ", CTX);
        assertThat(c.name()).isEqualTo("Laptop");
        assertThat(c.credentialId()).isEqualTo(a.credentialId);
        assertThat(c.uvInitialized()).isTrue();
        assertThat(c.backupEligible()).isFalse();
        assertThat(c.transports()).containsExactly("internal");
        assertThat(w.audit.ofType(AuditType.PASSKEY_REGISTERED)).singleElement().satisfies(e -> assertThat(e.userId()).isEqualTo(u.id()));

        CeremonyOptions.Creation second = passkeys.beginRegistration(u.id(), w.clock.instant(), browser);
        assertThat(second.excludeCredentials()).singleElement()
                .isEqualTo(new CeremonyOptions.Descriptor("public-key", SoftAuthenticator.b64(a.credentialId), List.of("internal")));
        // the same authenticator again (a browser ignoring excludeCredentials) is refused
        refused(() -> passkeys.finishRegistration(u.id(), w.clock.instant(), browser, a.register(second), "Again", CTX), ErrorCode.PASSKEY_EXISTS);
        assertThat(store.forUser(u.id())).hasSize(1);
    }

    @Test
    void aPasswordlessSignInWithUserVerificationIsMultiFactorWithHwkAndUser() {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        PasskeyCredential c = register(u, a);
        w.clock.advance(Duration.ofMinutes(1));

        VerifiedPasskey v = passkeys.signIn(browser, a.assertion(passkeys.beginSignIn(browser)), CTX);
        assertThat(v.userId()).isEqualTo(u.id());
        assertThat(v.credential().signCount()).isEqualTo(1);
        assertThat(v.step().amr()).containsExactly(Amr.HWK, Amr.USER);
        SignInOutcome.SignedIn s = (SignInOutcome.SignedIn) w.flow.passkey(v.userId(), v.step(), CTX);
        assertThat(s.authentication().storedAmr()).isEqualTo("hwk user mfa");
        assertThat(s.authentication().acr()).isEqualTo(Acr.MULTI_FACTOR);
        PasskeyCredential stored = store.forUser(u.id()).get(0);
        assertThat(stored.signCount()).isEqualTo(1);
        assertThat(stored.lastUsedAt()).isEqualTo(w.clock.instant());
        assertThat(stored.id()).isEqualTo(c.id());
        assertThat(w.audit.ofType(AuditType.PASSKEY_USED)).hasSize(1);
    }

    @Test
    void aSyncedPasskeyIsSwkAndOneWithoutUserVerificationIsOneFactor() {
        User u = w.user("password-1");
        SoftAuthenticator synced = new SoftAuthenticator().synced();
        register(u, synced);
        VerifiedPasskey v = passkeys.signIn(browser, synced.assertion(passkeys.beginSignIn(browser)), CTX);
        assertThat(v.step().amr()).containsExactly(Amr.SWK, Amr.USER);
        assertThat(store.forUser(u.id()).get(0).backupState()).isTrue();

        User p = w.user("password-2");
        SoftAuthenticator presence = new SoftAuthenticator().withoutUserVerification();
        register(p, presence);
        VerifiedPasskey up = passkeys.signIn(browser, presence.assertion(passkeys.beginSignIn(browser)), CTX);
        assertThat(up.userVerified()).isFalse();
        SignInOutcome.SignedIn s = (SignInOutcome.SignedIn) w.flow.passkey(up.userId(), up.step(), CTX);
        assertThat(s.authentication().amr()).containsExactly(Amr.HWK);
        assertThat(s.authentication().acr()).isEqualTo(Acr.ONE_FACTOR);
    }

    @Test
    void aCounterThatDoesNotIncreaseIsRefusedAsAPossibleCloneAndChangesNothing() {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        register(u, a);
        a.counter = 9;
        passkeys.signIn(browser, a.assertion(passkeys.beginSignIn(browser)), CTX);
        assertThat(store.forUser(u.id()).get(0).signCount()).isEqualTo(10);

        CeremonyOptions.Request o = passkeys.beginSignIn(browser);
        String clone = a.assertion(rp.id(), a.clientData("webauthn.get", o.challenge()), 4);
        refused(() -> passkeys.signIn(browser, clone, CTX), ErrorCode.PASSKEY_COUNTER_REGRESSED);
        CeremonyOptions.Request o2 = passkeys.beginSignIn(browser);
        String same = a.assertion(rp.id(), a.clientData("webauthn.get", o2.challenge()), 10);
        refused(() -> passkeys.signIn(browser, same, CTX), ErrorCode.PASSKEY_COUNTER_REGRESSED);
        assertThat(w.audit.ofType(AuditType.PASSKEY_CLONE_SUSPECTED)).hasSize(2).allSatisfy(e -> assertThat(e.userId()).isEqualTo(u.id()));
        assertThat(store.forUser(u.id()).get(0).signCount()).isEqualTo(10);
    }

    @Test
    void aChallengeIsSingleUseBoundToTheBrowserAndShortLived() {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        register(u, a);
        CeremonyOptions.Request o = passkeys.beginSignIn(browser);
        String response = a.assertion(o);
        // another browser presents this browser's challenge
        refused(() -> passkeys.signIn(RandomTokens.token(), response, CTX), ErrorCode.PASSKEY_CHALLENGE_INVALID);
        refused(() -> passkeys.signIn(null, response, CTX), ErrorCode.PASSKEY_CHALLENGE_INVALID);
        assertThat(store.forUser(u.id()).get(0).lastUsedAt()).isNull();
        passkeys.signIn(browser, response, CTX);
        // replayed
        refused(() -> passkeys.signIn(browser, response, CTX), ErrorCode.PASSKEY_CHALLENGE_INVALID);

        CeremonyOptions.Request late = passkeys.beginSignIn(browser);
        w.clock.advance(RelyingParty.DEFAULT_CHALLENGE_TTL);
        refused(() -> passkeys.signIn(browser, a.assertion(late), CTX), ErrorCode.PASSKEY_CHALLENGE_INVALID);
        assertThat(w.audit.ofType(AuditType.PASSKEY_FAILED)).extracting(e -> e.detail())
                .anyMatch(d -> d.contains("other_browser")).anyMatch(d -> d.contains("used")).anyMatch(d -> d.contains("expired"));
    }

    @Test
    void ofTwentyConcurrentPostsOfOneAssertionExactlyOneSignsIn() throws Exception {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        register(u, a);
        String response = a.assertion(passkeys.beginSignIn(browser));
        int n = 20;
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<ErrorCode>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        passkeys.signIn(browser, response, CTX);
                        return null;
                    } catch (LatchkeyException e) {
                        return e.code();
                    }
                }));
            }
            go.countDown();
            List<ErrorCode> codes = new java.util.ArrayList<>();
            for (var f : results) {
                codes.add(f.get());
            }
            assertThat(codes).filteredOn(java.util.Objects::isNull).hasSize(1);
            assertThat(codes).filteredOn(java.util.Objects::nonNull).hasSize(n - 1).containsOnly(ErrorCode.PASSKEY_CHALLENGE_INVALID);
        } finally {
            pool.shutdownNow();
        }
        assertThat(w.audit.ofType(AuditType.PASSKEY_USED)).hasSize(1);
    }

    @Test
    void tamperedClientDataOrAuthenticatorDataAndWrongOriginsOrRpIdsAreRefused() {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        register(u, a);
        long before = store.forUser(u.id()).get(0).signCount();

        // clientDataJSON altered after signing (the origin claims another site)
        CeremonyOptions.Request o1 = passkeys.beginSignIn(browser);
        byte[] ad1 = a.authenticatorData(rp.id(), 5);
        byte[] signedCd = a.clientData("webauthn.get", o1.challenge()).getBytes(StandardCharsets.UTF_8);
        byte[] sig1 = a.sign(ad1, signedCd);
        byte[] tamperedCd = a.clientData("webauthn.get", o1.challenge()).replace("\"crossOrigin\":false", "\"crossOrigin\":false ")
                .getBytes(StandardCharsets.UTF_8);
        refused(() -> passkeys.signIn(browser, a.assertionJson(tamperedCd, ad1, sig1), CTX), ErrorCode.PASSKEY_INVALID);

        // authenticatorData altered after signing (the counter raised)
        CeremonyOptions.Request o2 = passkeys.beginSignIn(browser);
        byte[] cd2 = a.clientData("webauthn.get", o2.challenge()).getBytes(StandardCharsets.UTF_8);
        byte[] ad2 = a.authenticatorData(rp.id(), 5);
        byte[] sig2 = a.sign(ad2, cd2);
        byte[] ad2Tampered = a.authenticatorData(rp.id(), 500);
        refused(() -> passkeys.signIn(browser, a.assertionJson(cd2, ad2Tampered, sig2), CTX), ErrorCode.PASSKEY_INVALID);

        // signed properly, but for another origin / another RP ID / as a create
        a.origin = "https://evil.example.net";
        refused(() -> passkeys.signIn(browser, a.assertion(passkeys.beginSignIn(browser)), CTX), ErrorCode.PASSKEY_INVALID);
        a.origin = "https://login.example.com";
        CeremonyOptions.Request o3 = passkeys.beginSignIn(browser);
        refused(() -> passkeys.signIn(browser, a.assertion("evil.example.net", a.clientData("webauthn.get", o3.challenge()), 50), CTX),
                ErrorCode.PASSKEY_INVALID);
        CeremonyOptions.Request o4 = passkeys.beginSignIn(browser);
        refused(() -> passkeys.signIn(browser, a.assertion(rp.id(), a.clientData("webauthn.create", o4.challenge()), 51), CTX),
                ErrorCode.PASSKEY_INVALID);
        refused(() -> passkeys.signIn(browser, "{\"id\":", CTX), ErrorCode.PASSKEY_INVALID);

        assertThat(store.forUser(u.id()).get(0).signCount()).isEqualTo(before);
        assertThat(store.forUser(u.id()).get(0).lastUsedAt()).isNull();
        assertThat(w.audit.ofType(AuditType.PASSKEY_USED)).isEmpty();
    }

    @Test
    void aDisabledAccountsPasskeyVerifiesButTheLoginFlowRefusesTheSignIn() {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        register(u, a);
        w.users.setStatus(u.id(), UserStatus.DISABLED, w.clock.instant());
        VerifiedPasskey v = passkeys.signIn(browser, a.assertion(passkeys.beginSignIn(browser)), CTX);
        SignInOutcome.Failed f = (SignInOutcome.Failed) w.flow.passkey(v.userId(), v.step(), CTX);
        assertThat(f.code()).isEqualTo(ErrorCode.ACCOUNT_DISABLED);
        assertThat(w.audit.ofType(AuditType.LOGIN_SUCCESS)).isEmpty();
    }

    @Test
    void anUnknownCredentialIsRefused() {
        User u = w.user("password-1");
        register(u, new SoftAuthenticator());
        SoftAuthenticator stranger = new SoftAuthenticator();
        stranger.userHandle = PasskeyService.userHandle(u.id());
        refused(() -> passkeys.signIn(browser, stranger.assertion(passkeys.beginSignIn(browser)), CTX), ErrorCode.PASSKEY_UNKNOWN);
    }

    @Test
    void asASecondFactorOnlyTheUsersOwnPasskeysCountAndTheFlowBecomesMultiFactor() {
        User u = w.user("password-1");
        SoftAuthenticator mine = new SoftAuthenticator();
        register(u, mine);
        User other = w.user("password-2");
        SoftAuthenticator theirs = new SoftAuthenticator();
        register(other, theirs);

        SignInOutcome.StepNeeded step = (SignInOutcome.StepNeeded) w.flow.password(u.email().value(), "password-1", CTX);
        assertThat(step.factors()).containsExactly(Factor.PASSKEY);

        CeremonyOptions.Request o = passkeys.beginSecondFactor(u.id(), browser);
        assertThat(o.allowCredentials()).extracting(CeremonyOptions.Descriptor::id).containsExactly(SoftAuthenticator.b64(mine.credentialId));
        refused(() -> passkeys.verifySecondFactor(u.id(), browser, theirs.assertion(o), CTX), ErrorCode.PASSKEY_UNKNOWN);
        // a challenge issued for another user's pending sign-in does not serve this one
        CeremonyOptions.Request forOther = passkeys.beginSecondFactor(other.id(), browser);
        refused(() -> passkeys.verifySecondFactor(u.id(), browser, mine.assertion(forOther), CTX), ErrorCode.PASSKEY_CHALLENGE_INVALID);
        // nor a passwordless one
        refused(() -> passkeys.verifySecondFactor(u.id(), browser, mine.assertion(passkeys.beginSignIn(browser)), CTX),
                ErrorCode.PASSKEY_CHALLENGE_INVALID);

        VerifiedPasskey v = passkeys.verifySecondFactor(u.id(), browser, mine.assertion(passkeys.beginSecondFactor(u.id(), browser)), CTX);
        SignInOutcome.SignedIn s = (SignInOutcome.SignedIn) w.flow.continueWith(step.pending(), v.step(), CTX);
        assertThat(s.authentication().storedAmr()).isEqualTo("pwd hwk user mfa");
        assertThat(s.authentication().acr()).isEqualTo(Acr.MULTI_FACTOR);
    }

    @Test
    void changesNeedARecentSignInAndTheLastWayInNeedsConfirmation() {
        User u = w.user("password-1");
        SoftAuthenticator a = new SoftAuthenticator();
        PasskeyCredential c = register(u, a);
        var signedInAt = w.clock.instant();
        w.clock.advance(PasskeyService.RECENT_AUTH.plusSeconds(1));
        refused(() -> passkeys.beginRegistration(u.id(), signedInAt, browser), ErrorCode.REAUTHENTICATION_REQUIRED);
        refused(() -> passkeys.remove(u.id(), c.id(), signedInAt, true, CTX), ErrorCode.REAUTHENTICATION_REQUIRED);
        assertThat(passkeys.isLastWayIn(u.id(), c.id())).isFalse();

        passkeys.rename(u.id(), c.id(), "Work laptop", CTX);
        assertThat(passkeys.list(u.id()).get(0).name()).isEqualTo("Work laptop");
        refused(() -> passkeys.rename(u.id(), c.id(), "x".repeat(65), CTX), ErrorCode.VALIDATION_FAILED);
        refused(() -> passkeys.rename(w.user("password-3").id(), c.id(), "Mine now", CTX), ErrorCode.NOT_FOUND);
        passkeys.remove(u.id(), c.id(), w.clock.instant(), false, CTX);
        assertThat(passkeys.list(u.id())).isEmpty();
        assertThat(w.audit.ofType(AuditType.PASSKEY_REMOVED)).hasSize(1);

        // a user who signs in only with a passkey
        User only = new User(UuidV7.next(), EmailAddress.parse("only-" + UUID.randomUUID() + "@example.test"), true, "Only", null,
                UserStatus.ACTIVE, 1, w.clock.instant(), w.clock.instant());
        w.users.create(only);
        PasskeyCredential last = register(only, new SoftAuthenticator());
        assertThat(passkeys.isLastWayIn(only.id(), last.id())).isTrue();
        refused(() -> passkeys.remove(only.id(), last.id(), w.clock.instant(), false, CTX), ErrorCode.LAST_SIGN_IN_METHOD);
        assertThat(passkeys.list(only.id())).hasSize(1);
        passkeys.remove(only.id(), last.id(), w.clock.instant(), true, CTX);
        assertThat(passkeys.list(only.id())).isEmpty();
    }

    @Test
    void theRpIdIsThePublicHostOrAParentDomainOfIt() {
        URI pub = URI.create("https://login.example.com");
        assertThat(RelyingParty.problems(pub, "", List.of())).isEmpty();
        assertThat(RelyingParty.problems(pub, "example.com", List.of("https://app.example.com"))).isEmpty();
        assertThat(RelyingParty.of(pub, "example.com", List.of("https://app.example.com"), "X").origins())
                .containsExactlyInAnyOrder("https://login.example.com", "https://app.example.com");
        assertThat(RelyingParty.problems(pub, "other.com", List.of())).hasSize(1);
        assertThat(RelyingParty.problems(pub, "com", List.of())).hasSize(1);
        assertThat(RelyingParty.problems(pub, "https://example.com", List.of())).hasSize(1);
        assertThat(RelyingParty.problems(pub, "example.com", List.of("https://app.other.com"))).hasSize(1);
        assertThat(RelyingParty.problems(pub, "example.com", List.of("http://app.example.com"))).hasSize(1);
        assertThat(RelyingParty.of(URI.create("http://localhost:8080"), "", List.of(), "X").origins()).containsExactly("http://localhost:8080");
    }
}
