package dev.latchkey.server;

import dev.latchkey.core.authn.Amr;
import dev.latchkey.core.authn.CompletedStep;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.LoginFlow;
import dev.latchkey.core.authn.MfaChallenges;
import dev.latchkey.core.credential.passkey.PasskeyMfa;
import dev.latchkey.core.credential.recovery.RecoveryCodes;
import dev.latchkey.core.credential.totp.TotpCredentials;
import dev.latchkey.core.session.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The multi-factor side of sign-in as the hosted pages and the first-party API use it: the factors,
 * the challenges of the second step, and the rule for "a recent second factor" before sensitive actions.
 */
public record MfaServices(TotpCredentials totp, RecoveryCodes recovery, MfaChallenges challenges, PasskeyMfa passkeys, LoginFlow flow,
                          Duration recent, Clock clock) {
    public MfaServices {
        Objects.requireNonNull(passkeys, "passkeys");
        Objects.requireNonNull(totp, "totp");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(challenges, "challenges");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(recent, "recent");
        Objects.requireNonNull(clock, "clock");
    }

    /** Whether the user has a second factor a sign-in asks for. */
    public boolean hasSecondFactor(java.util.UUID userId) {
        return !flow.enrolledSecondFactors(userId).isEmpty();
    }

    /**
     * Whether {@code session} may do a sensitive action: the user has no second factor, or the session's
     * sign-in completed one ({@code amr} has {@code mfa}) no longer than {@link #recent()} ago.
     */
    public boolean recentEnough(Session session) {
        if (!hasSecondFactor(session.userId())) {
            return true;
        }
        return Amr.parse(session.amr()).contains(Amr.MFA) && !session.authTime().plus(recent).isBefore(clock.instant());
    }

    /**
     * Whether a second factor on top of {@code session} makes a multi-factor sign-in: not for a mailed-link
     * session (the link and an authenticator code are both possession factors, NIST SP 800-63B).
     */
    public static boolean stepUpReachesMfa(Session session) {
        return !(Amr.parse(session.amr()).contains(Amr.MAIL) && !Amr.parse(session.amr()).contains(Amr.PWD));
    }

    /** The first step a session stands for, to step up from (its method at its {@code auth_time}). */
    public static List<CompletedStep> firstStep(Session session) {
        Factor first = Amr.parse(session.amr()).contains(Amr.MAIL) ? Factor.MAIL_LINK : Factor.PASSWORD;
        return List.of(new CompletedStep(first, session.authTime()));
    }
}
