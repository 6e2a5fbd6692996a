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
    ORGANIZATION_UPDATED,
    MEMBERSHIP_CHANGED,
    ROLE_DEFINED,
    ROLE_DELETED,
    INVITATION_CREATED,
    INVITATION_REVOKED,
    INVITATION_ACCEPTED,
    SERVICE_ACCOUNT_CREATED,
    SERVICE_ACCOUNT_UPDATED,
    SERVICE_ACCOUNT_DELETED,
    SIGNING_KEY_ROTATED,
    SIGNING_KEY_RETIRED,
    PROFILE_CHANGED,
    EMAIL_VERIFICATION_SENT,
    EMAIL_VERIFIED,
    PASSWORD_RESET_REQUESTED,
    PASSWORD_RESET,
    MAGIC_LINK_SENT,
    MAGIC_LINK_USED,
    EMAIL_CHANGE_REQUESTED,
    EMAIL_CHANGED,
    MAIL_TOKEN_REFUSED,
    IDENTITY_LINKED,
    IDENTITY_UNLINKED,
    UPSTREAM_SIGNIN_REFUSED,
    PASSKEY_REGISTERED,
    PASSKEY_RENAMED,
    PASSKEY_REMOVED,
    /** A passkey assertion verified (the sign-in's own outcome is {@code login_success} or a further step). */
    PASSKEY_USED,
    /** A passkey ceremony was refused: bad signature, origin, challenge, unknown credential … (the detail says which). */
    PASSKEY_FAILED,
    /** A sign counter that did not increase (WebAuthn §6.1.1): the credential may have been cloned; the assertion was refused. */
    PASSKEY_CLONE_SUSPECTED,
    /** A sign-up named an address that has an account; its owner was told by mail (the answer did not say). */
    SIGNUP_EXISTING_ADDRESS,
    MFA_ENROLLED,
    MFA_REMOVED,
    MFA_SUCCESS,
    MFA_FAILURE,
    MFA_LOCKED,
    RECOVERY_CODES_GENERATED,
    RECOVERY_CODE_USED,
    /** An API key was made (the subject is its public id; docs/authorization.md#api-keys). */
    API_KEY_CREATED,
    /** An API key was revoked; the tokens exchanged for it are refused downstream through the revocation feed. */
    API_KEY_REVOKED,
    /**
     * An API-key exchange at the token endpoint was refused (invalid_grant): the client, the key's public id as
     * subject when the text parses as a key (never the key), and why in the detail.
     */
    API_KEY_REFUSED,
    /** An admin API key bound to an organization was created (subject: the organization, detail: the key id). */
    ADMIN_KEY_CREATED,
    /** An organization's admin API key was revoked (subject: the organization, detail: the key id). */
    ADMIN_KEY_REVOKED,
    /** A change made with an org-scoped admin key (subject: the organization; detail: the key, the route, the status). */
    ORG_ADMIN_ACTION;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
