package dev.latchkey.core.session;

import java.util.Locale;

/** Where a session lives: the hosted-login SSO cookie, the first-party token API, or an OAuth client. */
public enum SessionKind {
    BROWSER,
    API,
    OAUTH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SessionKind fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
