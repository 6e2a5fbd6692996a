package dev.latchkey.core.authn;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.authn.SignInOutcome.FailureReason;
import dev.latchkey.core.credential.CodeFactor;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The second step of a sign-in, kept server-side: a {@link SignInOutcome.StepNeeded} becomes a
 * random challenge (stored as a hash, bound to the browser's binding secret, valid for
 * {@link #TTL} and never past the sign-in's {@link LoginFlow#PENDING_TTL}), and the challenge plus a
 * factor's proof continues the login flow. Each use spends the challenge in one atomic statement; a
 * wrong code gets a fresh challenge for the same sign-in (until the user's factor lockout stops it),
 * so a challenge is never usable twice, nor from another browser.
 */
public final class MfaChallenges {
    public static final Duration TTL = Duration.ofMinutes(5);

    /** A challenge to hand to the browser or client. */
    public record Challenge(String token, Set<Factor> factors, boolean enrolment, Instant expiresAt) {
    }

    /** A view of a live challenge, not spending it. */
    public record View(UUID userId, Set<Factor> factors, boolean enrolment) {
    }

    /** What continuing a challenge ended in. */
    public sealed interface Completion {
        /** The login flow's outcome (signed in, another step, or failed for good). */
        record Done(SignInOutcome outcome, Factor factor) implements Completion {
        }

        /** The proof was refused; the sign-in may try again with {@code next}. */
        record Retry(FactorCheck check, Challenge next) implements Completion {
        }
    }

    /** Proves a factor for the user the challenge belongs to. */
    @FunctionalInterface
    public interface Verifier {
        Proof verify(UUID userId, boolean enrolment);
    }

    /**
     * A verifier's answer: the check, and when accepted the step to continue the sign-in with (a
     * passkey's step carries {@code hwk}/{@code swk} and {@code user}; a code's is just its factor).
     */
    public record Proof(FactorCheck check, CompletedStep step) {
        public Proof {
            Objects.requireNonNull(check, "check");
            if (check.accepted() != (step != null)) {
                throw new IllegalArgumentException("an accepted proof has a step, a refused one none");
            }
        }

        public static Proof refused(FactorCheck check) {
            return new Proof(check, null);
        }

        public static Proof accepted(CompletedStep step) {
            return new Proof(FactorCheck.ACCEPTED, Objects.requireNonNull(step, "step"));
        }
    }

    private final PendingSignInStore store;
    private final LoginFlow flow;
    private final Map<Factor, CodeFactor> codeFactors = new EnumMap<>(Factor.class);
    private final Clock clock;

    public MfaChallenges(PendingSignInStore store, LoginFlow flow, List<CodeFactor> codeFactors, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.flow = Objects.requireNonNull(flow, "flow");
        codeFactors.forEach(f -> this.codeFactors.put(f.factor(), f));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores the further step as a challenge bound to {@code binding} (the browser's secret). */
    public Challenge issue(SignInOutcome.StepNeeded step, String binding) {
        return issue(step.pending(), step.factors(), step.enrolment(), binding);
    }

    private Challenge issue(PendingSignIn pending, Set<Factor> factors, boolean enrolment, String binding) {
        Objects.requireNonNull(binding, "binding");
        Instant now = clock.instant();
        Instant cap = pending.startedAt().plus(LoginFlow.PENDING_TTL);
        Instant expires = now.plus(TTL).isBefore(cap) ? now.plus(TTL) : cap;
        String token = RandomTokens.token();
        store.save(new PendingSignInStore.Stored(Digests.sha256(token), Digests.sha256(binding), pending, factors, enrolment, expires));
        return new Challenge(token, factors, enrolment, expires);
    }

    public Optional<View> peek(String token, String binding) {
        if (token == null || binding == null) {
            return Optional.empty();
        }
        return store.peek(Digests.sha256(token), Digests.sha256(binding), clock.instant())
                .map(s -> new View(s.pending().userId(), s.factors(), s.enrolment()));
    }

    /** Continues with a typed code for {@code factor} (TOTP, a recovery code; or the first TOTP code of an enrolment). */
    public Completion complete(String token, String binding, Factor factor, String code, RequestContext ctx) {
        CodeFactor f = codeFactors.get(factor);
        return complete(token, binding, factor, (userId, enrolment) -> {
            FactorCheck check = f == null ? FactorCheck.of(FactorCheck.Status.NOT_ENROLLED)
                    : enrolment ? f.confirmEnrolment(userId, code, ctx) : f.verify(userId, code, ctx);
            return check.accepted() ? Proof.accepted(new CompletedStep(factor, clock.instant())) : Proof.refused(check);
        }, ctx);
    }

    /**
     * Continues with a factor proven by {@code verifier} (a passkey assertion checked against the
     * challenge's user). Spends the challenge first, so a proof is never judged twice for one challenge.
     */
    public Completion complete(String token, String binding, Factor factor, Verifier verifier, RequestContext ctx) {
        Instant now = clock.instant();
        Optional<PendingSignInStore.Stored> got = token == null || binding == null ? Optional.empty()
                : store.consume(Digests.sha256(token), Digests.sha256(binding), now);
        if (got.isEmpty()) {
            return new Completion.Done(SignInOutcome.Failed.of(FailureReason.CHALLENGE_INVALID, ErrorCode.MFA_CHALLENGE_INVALID,
                    "second-factor challenge unknown, spent, expired or bound to another browser"), factor);
        }
        PendingSignInStore.Stored s = got.get();
        if (!s.factors().contains(factor)) {
            return new Completion.Retry(FactorCheck.of(FactorCheck.Status.NOT_ENROLLED), issue(s.pending(), s.factors(), s.enrolment(), binding));
        }
        Proof proof = verifier.verify(s.pending().userId(), s.enrolment());
        FactorCheck check = proof.check();
        if (check.status() == FactorCheck.Status.LOCKED) {
            return new Completion.Done(new SignInOutcome.Failed(FailureReason.SECOND_FACTOR_LOCKED, ErrorCode.ACCOUNT_LOCKED, null,
                    "second factor locked", check.retryAfterSeconds()), factor);
        }
        if (!check.accepted()) {
            return new Completion.Retry(check, issue(s.pending(), s.factors(), s.enrolment(), binding));
        }
        return new Completion.Done(flow.continueWith(s.pending(), proof.step(), ctx), factor);
    }

    public int purgeExpired() {
        return store.purgeExpired(clock.instant());
    }
}
