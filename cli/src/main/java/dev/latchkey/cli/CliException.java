package dev.latchkey.cli;

/** A problem the user can fix, reported as one line (with the cause's stack trace under {@code --verbose}). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
