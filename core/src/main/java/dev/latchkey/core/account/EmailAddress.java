package dev.latchkey.core.account;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * A normalised e-mail address: NFKC, trimmed, lower-cased. Two spellings that differ only in case
 * or surrounding blanks are the same account. Syntax is checked loosely (one {@code @}, a non-empty
 * local part, a domain of dot-separated labels) because the only real proof is a delivered mail.
 */
public record EmailAddress(String value) {
    private static final int MAX_LENGTH = 254;

    public EmailAddress {
        if (value == null || !value.equals(normalise(value))) {
            throw new IllegalArgumentException("use EmailAddress.parse for unnormalised input");
        }
    }

    public static EmailAddress parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_EMAIL, "An e-mail address is required.", "empty e-mail");
        }
        String v = normalise(raw);
        if (v.length() > MAX_LENGTH || !wellFormed(v)) {
            throw LatchkeyException.of(ErrorCode.INVALID_EMAIL, "malformed e-mail");
        }
        return new EmailAddress(v);
    }

    static String normalise(String raw) {
        return Normalizer.normalize(raw.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }

    private static boolean wellFormed(String v) {
        int at = v.indexOf('@');
        if (at <= 0 || at != v.lastIndexOf('@') || at > 64 || at == v.length() - 1) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '<' || c == '>' || c == ',' || c == ';'
                    || c == '"' || c == '\\' || c == '(' || c == ')' || c == '[' || c == ']') {
                return false;
            }
        }
        String domain = v.substring(at + 1);
        if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
            return false;
        }
        for (String label : domain.split("\\.")) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
        }
        return true;
    }

    public String localPart() {
        return value.substring(0, value.indexOf('@'));
    }

    @Override
    public String toString() {
        return value;
    }
}
