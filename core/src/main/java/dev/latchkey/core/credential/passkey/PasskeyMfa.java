package dev.latchkey.core.credential.passkey;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.MfaChallenges;
import dev.latchkey.core.authn.MfaChallenges.Completion;
import dev.latchkey.core.authn.MfaChallenges.Proof;
import dev.latchkey.core.credential.FactorAttempts;
import dev.latchkey.core.credential.FactorCheck;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * A passkey as the second step of a pending sign-in (WebAuthn Level 3 §7.2 with allowCredentials):
 * the options are issued for the user of a live second-factor challenge of this browser, and the
 * assertion completes that challenge through {@link MfaChallenges#complete(String, String, Factor,
 * MfaChallenges.Verifier, RequestContext)}, which spends it in one atomic statement first. A refused
 * assertion (another user's or an unknown credential, a foreign or spent WebAuthn challenge, a bad
 * signature) counts toward the user's factor lockout like a wrong code and gets a fresh challenge.
 * The browser's secret that binds the sign-in's challenge also binds the WebAuthn challenge.
 */
public final class PasskeyMfa {
    private final MfaChallenges challenges;
    private final PasskeyService passkeys;
    private final FactorAttempts attempts;
    private final Clock clock;

    public PasskeyMfa(MfaChallenges challenges, PasskeyService passkeys, FactorAttempts attempts, Clock clock) {
        this.challenges = Objects.requireNonNull(challenges, "challenges");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Options for {@code navigator.credentials.get()} for the user of the live challenge {@code token} of this browser. */
    public CeremonyOptions.Request options(String token, String binding) {
        MfaChallenges.View view = challenges.peek(token, binding)
                .filter(v -> !v.enrolment() && v.factors().contains(Factor.PASSKEY))
                .orElseThrow(() -> LatchkeyException.of(ErrorCode.MFA_CHALLENGE_INVALID,
                        "passkey options without a live passkey challenge of this browser"));
        return passkeys.beginSecondFactor(view.userId(), binding);
    }

    /** Continues the sign-in of challenge {@code token} with the browser's assertion ({@code responseJson}). */
    public Completion complete(String token, String binding, String responseJson, RequestContext ctx) {
        return challenges.complete(token, binding, Factor.PASSKEY, (userId, enrolment) -> {
            Instant now = clock.instant();
            if (enrolment) {
                return Proof.refused(FactorCheck.of(FactorCheck.Status.NOT_ENROLLED));
            }
            long locked = attempts.lockedFor(userId, now);
            if (locked > 0) {
                return Proof.refused(new FactorCheck(FactorCheck.Status.LOCKED, locked));
            }
            VerifiedPasskey v;
            try {
                v = passkeys.verifySecondFactor(userId, binding, responseJson, ctx);
            } catch (LatchkeyException refused) {
                // PasskeyService has audited the specific reason (PASSKEY_FAILED / PASSKEY_CLONE_SUSPECTED)
                return Proof.refused(attempts.failed(userId, FactorCheck.Status.REFUSED, now, ctx));
            }
            attempts.succeeded(userId, now);
            return Proof.accepted(v.step());
        }, ctx);
    }
}
