package dev.latchkey.core.error;

import java.util.Objects;

/**
 * The one error type. {@link #code()} and {@link #publicMessage()} are what a client may see;
 * {@link #getMessage()} is the operational detail for logs (which step failed, which id), never
 * shown to clients. Never carries a secret.
 */
public final class LatchkeyException extends RuntimeException {
    private final ErrorCode code;
    private final String publicMessage;
    private final long retryAfterSeconds;

    private LatchkeyException(ErrorCode code, String publicMessage, String detail, long retryAfterSeconds, Throwable cause) {
        super(detail == null ? code.wireName() : detail, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.publicMessage = publicMessage == null ? code.description() : publicMessage;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** An error with the code's standard description and a log detail. */
    public static LatchkeyException of(ErrorCode code, String detail) {
        return new LatchkeyException(code, null, detail, -1, null);
    }

    /** An error with a specific message for the client (no secrets, no internals). */
    public static LatchkeyException withMessage(ErrorCode code, String publicMessage, String detail) {
        return new LatchkeyException(code, publicMessage, detail, -1, null);
    }

    public static LatchkeyException retryAfter(ErrorCode code, long seconds, String detail) {
        return new LatchkeyException(code, null, detail, Math.max(1, seconds), null);
    }

    public static LatchkeyException wrap(ErrorCode code, String detail, Throwable cause) {
        return new LatchkeyException(code, null, detail, -1, cause);
    }

    public ErrorCode code() {
        return code;
    }

    public String publicMessage() {
        return publicMessage;
    }

    /** Seconds a client should wait before retrying, or -1 when not applicable. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
