package dev.latchkey.core.password;

import java.util.Objects;

/**
 * One way a new password breaks the {@link PasswordPolicy}: a stable code for clients and a
 * sentence for people.
 */
public record PasswordViolation(Reason reason, String message) {

    /** What is wrong; {@link PasswordPolicy#check} reports every one that applies. */
    public enum Reason {
        /** Fewer code points than the policy's minimum (NIST SP 800-63B-4 §3.1.1.2: at least 8). */
        TOO_SHORT,
        /** More code points than the policy's maximum. */
        TOO_LONG,
        /** On the list of commonly used passwords (§3.1.1.2 blocklist). */
        COMMON,
        /** Equal to the account's e-mail address or its local part (a context-specific word). */
        MATCHES_IDENTIFIER
    }

    public PasswordViolation {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
