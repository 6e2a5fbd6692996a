package dev.latchkey.core.credential;

import dev.latchkey.core.error.ErrorCode;
import java.util.Objects;

/** What checking a second-factor code ended in; {@code retryAfterSeconds} is set when locked. */
public record FactorCheck(Status status, long retryAfterSeconds) {
    public enum Status {
        ACCEPTED(null),
        /** Not a valid code now. */
        WRONG(ErrorCode.MFA_CODE_INVALID),
        /** A valid code whose time step was already used (RFC 6238 §5.2: accept a code once). */
        REPLAYED(ErrorCode.MFA_CODE_REPLAYED),
        /** A passkey assertion that was refused (not this user's credential, a foreign or spent challenge, a bad signature). */
        REFUSED(ErrorCode.PASSKEY_INVALID),
        /** Too many failures: locked out for a while (back-off). */
        LOCKED(ErrorCode.ACCOUNT_LOCKED),
        /** The user has no such factor. */
        NOT_ENROLLED(ErrorCode.MFA_FACTOR_NOT_ENROLLED);

        private final ErrorCode code;

        Status(ErrorCode code) {
            this.code = code;
        }

        public ErrorCode errorCode() {
            return code;
        }
    }

    public static final FactorCheck ACCEPTED = new FactorCheck(Status.ACCEPTED, -1);

    public FactorCheck {
        Objects.requireNonNull(status, "status");
    }

    public static FactorCheck of(Status status) {
        return new FactorCheck(status, -1);
    }

    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
