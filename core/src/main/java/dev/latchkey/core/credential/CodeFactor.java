package dev.latchkey.core.credential;

import dev.latchkey.core.RequestContext;
import java.util.UUID;

/**
 * A second factor proven by a code the person types (TOTP, a recovery code). Verifying spends the
 * code (a code is accepted once), counts a failure toward the user's factor lockout and audits both.
 * Factors proven otherwise (a passkey assertion) verify themselves and continue the sign-in through
 * {@link dev.latchkey.core.authn.MfaChallenges#completeVerified}.
 */
public interface CodeFactor extends SecondFactor {
    FactorCheck verify(UUID userId, String code, RequestContext ctx);

    /**
     * Activates a pending enrolment with its first code (a factor that needs no confirmation, such as
     * recovery codes, has nothing pending).
     */
    default FactorCheck confirmEnrolment(UUID userId, String code, RequestContext ctx) {
        return FactorCheck.of(FactorCheck.Status.NOT_ENROLLED);
    }
}
