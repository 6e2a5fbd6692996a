package dev.latchkey.core.authn;

import dev.latchkey.core.account.User;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Objects;
import java.util.Set;

/** What a step of a sign-in ended in. Every caller (hosted pages, first-party API, authorize) switches over it. */
public sealed interface SignInOutcome {

    /** The user is authenticated: start a session with {@code authentication}. */
    record SignedIn(User user, Authentication authentication) implements SignInOutcome {
        public SignedIn {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(authentication, "authentication");
        }
    }

    /**
     * Another step is needed before a session may start: one of {@code factors} (the mailed link when
     * the address must be verified first; a second factor the user has). With {@code enrolment}, the
     * policy requires a second factor the user does not have yet: enrolling one of {@code factors}
     * (with its first code) is the step.
     */
    record StepNeeded(User user, PendingSignIn pending, Set<Factor> factors, String userMessage, boolean enrolment) implements SignInOutcome {
        /** A step with one of {@code factors} the user already has. */
        public StepNeeded(User user, PendingSignIn pending, Set<Factor> factors, String userMessage) {
            this(user, pending, factors, userMessage, false);
        }

        public StepNeeded {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(pending, "pending");
            factors = Set.copyOf(factors);
            if (factors.isEmpty()) {
                throw new IllegalArgumentException("a further step names at least one factor");
            }
        }
    }

    /**
     * The sign-in failed. {@code reason} and {@code logDetail} are for logs and audit; {@code code}
     * and {@code userMessage} are what a person or client sees (the same for an unknown account and a
     * wrong password).
     */
    record Failed(FailureReason reason, ErrorCode code, String userMessage, String logDetail, long retryAfterSeconds)
            implements SignInOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(code, "code");
            userMessage = userMessage == null ? code.description() : userMessage;
        }

        static Failed of(FailureReason reason, ErrorCode code, String logDetail) {
            return new Failed(reason, code, null, logDetail, -1);
        }

        /** The failure as the one error type, for handlers that answer errors by throwing. */
        public LatchkeyException toException() {
            return retryAfterSeconds > 0
                    ? LatchkeyException.retryAfter(code, retryAfterSeconds, reason + ": " + logDetail)
                    : LatchkeyException.withMessage(code, userMessage, reason + ": " + logDetail);
        }
    }

    /** Why a sign-in failed (logs and audit only; users see {@link Failed#userMessage()}). */
    enum FailureReason {
        MALFORMED_IDENTIFIER,
        UNKNOWN_ACCOUNT,
        WRONG_PASSWORD,
        NO_PASSWORD,
        LOCKED,
        DISABLED,
        MAIL_TOKEN_REFUSED,
        PENDING_EXPIRED,
        /** The second-factor challenge is unknown, spent, expired or from another browser. */
        CHALLENGE_INVALID,
        SECOND_FACTOR_REFUSED,
        SECOND_FACTOR_LOCKED
    }
}
