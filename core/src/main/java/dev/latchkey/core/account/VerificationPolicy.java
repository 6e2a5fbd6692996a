package dev.latchkey.core.account;

import java.util.Locale;

/**
 * Whether e-mail addresses must be verified (setting {@code email.verification}): {@code OFF} sends no
 * verification mail; {@code OPTIONAL} sends one at sign-up and lets the user in meanwhile;
 * {@code REQUIRED} lets nobody sign in before the address is verified (a resend link is offered).
 */
public enum VerificationPolicy {
    OFF,
    OPTIONAL,
    REQUIRED;

    public static VerificationPolicy parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("must be off, optional or required");
        }
    }

    public boolean sendsMail() {
        return this != OFF;
    }
}
