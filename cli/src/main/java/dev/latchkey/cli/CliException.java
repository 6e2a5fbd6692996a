package dev.latchkey.cli;

/** A problem the user can fix, reported as one line. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
