package dev.latchkey.core.mail;

import java.util.Locale;

/** What a mailed token may be used for; a token redeemed for another purpose is refused. */
public enum MailPurpose {
    VERIFY_EMAIL,
    RESET_PASSWORD,
    SIGN_IN,
    CHANGE_EMAIL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MailPurpose fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
