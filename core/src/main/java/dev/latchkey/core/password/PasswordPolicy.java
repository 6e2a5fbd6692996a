package dev.latchkey.core.password;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a new password must be, after NIST SP 800-63B-4 §3.1.1.2 and OWASP ASVS 5.0 V6.2: long
 * enough, not absurdly long, not a commonly used password, not the account's own e-mail address.
 * No composition rules (no "one digit, one symbol"), which both documents forbid. Lengths count
 * Unicode code points after NFKC normalisation; spaces and every printable character are allowed.
 *
 * @param minLength at least 8 (the NIST and ASVS minimum)
 * @param maxLength at least 64 (NIST: verifiers SHOULD permit at least 64)
 */
public record PasswordPolicy(int minLength, int maxLength) {
    public static final int DEFAULT_MIN_LENGTH = 8;
    public static final int DEFAULT_MAX_LENGTH = 256;
    public static final PasswordPolicy DEFAULT = new PasswordPolicy(DEFAULT_MIN_LENGTH, DEFAULT_MAX_LENGTH);

    public PasswordPolicy {
        if (minLength < 8) {
            throw new IllegalArgumentException("password minLength must be at least 8 (NIST SP 800-63B-4), got " + minLength);
        }
        if (maxLength < 64) {
            throw new IllegalArgumentException("password maxLength must be at least 64 (NIST SP 800-63B-4), got " + maxLength);
        }
        if (minLength > maxLength) {
            throw new IllegalArgumentException("password minLength " + minLength + " exceeds maxLength " + maxLength);
        }
    }

    /**
     * Every rule the password breaks, in a fixed order; an empty list means it is acceptable.
     *
     * @param email the account's e-mail address, or null when there is none yet
     */
    public List<PasswordViolation> check(String password, String email) {
        String normalized = PasswordHashing.normalize(password);
        List<PasswordViolation> violations = new ArrayList<>(2);
        int length = normalized.codePointCount(0, normalized.length());
        if (length < minLength) {
            violations.add(new PasswordViolation(PasswordViolation.Reason.TOO_SHORT,
                    "Use at least " + minLength + " characters."));
        }
        if (length > maxLength) {
            violations.add(new PasswordViolation(PasswordViolation.Reason.TOO_LONG,
                    "Use at most " + maxLength + " characters."));
        }
        if (CommonPasswords.contains(normalized)) {
            violations.add(new PasswordViolation(PasswordViolation.Reason.COMMON,
                    "This password is too common. Choose one that is harder to guess."));
        }
        if (email != null && matchesEmail(normalized, email)) {
            violations.add(new PasswordViolation(PasswordViolation.Reason.MATCHES_IDENTIFIER,
                    "Don't use your e-mail address as your password."));
        }
        return List.copyOf(violations);
    }

    private static boolean matchesEmail(String password, String email) {
        String p = password.toLowerCase(Locale.ROOT);
        String e = PasswordHashing.normalize(email).strip().toLowerCase(Locale.ROOT);
        int at = e.lastIndexOf('@');
        String local = at > 0 ? e.substring(0, at) : "";
        return p.equals(e) || (!local.isEmpty() && p.equals(local));
    }
}
