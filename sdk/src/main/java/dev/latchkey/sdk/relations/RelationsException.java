package dev.latchkey.sdk.relations;

/** The relations API refused a call (its {@code code}, e.g. {@code validation_error}, and HTTP status), or could not be reached. */
public final class RelationsException extends RuntimeException {
    private final int status;
    private final String code;

    public RelationsException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when Latchkey could not be reached. */
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
