package dev.latchkey.core.mail;

import dev.latchkey.core.account.VerificationPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The e-mail flows' settings. Sign-in and reset links live at most 15 minutes; verification and
 * e-mail-change links may live longer (a day by default), since they only prove the mailbox.
 */
public record MailFlowPolicy(VerificationPolicy verification, Duration verificationTtl, Duration signInTtl, Duration resetTtl,
                             boolean magicLinks, boolean passwordReset) {
    public static final Duration MAX_SHORT = Duration.ofMinutes(15);

    public MailFlowPolicy {
        Objects.requireNonNull(verification, "verification");
        positive(verificationTtl, Duration.ofDays(7), "verification links");
        positive(signInTtl, MAX_SHORT, "sign-in links");
        positive(resetTtl, MAX_SHORT, "password-reset links");
    }

    private static void positive(Duration d, Duration max, String what) {
        Objects.requireNonNull(d, what);
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must live between 1 minute and " + max.toMinutes() + " minutes");
        }
    }
}
