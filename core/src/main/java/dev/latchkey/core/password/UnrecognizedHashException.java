package dev.latchkey.core.password;

/**
 * A stored password hash that Latchkey cannot verify: an unknown format, a malformed string, or
 * parameters beyond the ceilings that keep one verification from hanging the server. The message
 * says which, and never repeats the hash itself.
 */
public final class UnrecognizedHashException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnrecognizedHashException(String message) {
        super(message);
    }
}
