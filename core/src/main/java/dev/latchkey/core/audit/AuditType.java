package dev.latchkey.core.audit;

import java.util.Locale;

/** What an audit event records. The wire name is what is stored and logged. */
public enum AuditType {
    SIGNUP,
    LOGIN_SUCCESS,
    LOGIN_FAILURE,
    LOGIN_LOCKED,
    LOGOUT,
    REFRESH_TOKEN_REUSE,
    PASSWORD_CHANGED,
    PASSWORD_REHASHED,
    SESSION_REVOKED,
    USER_DISABLED,
    USER_ENABLED,
    USER_DELETED,
    USER_IMPORTED,
    ORGANIZATION_CREATED,
    ORGANIZATION_DELETED,
    MEMBERSHIP_CHANGED,
    SIGNING_KEY_ROTATED,
    SIGNING_KEY_RETIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
