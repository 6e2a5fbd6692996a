package dev.latchkey.core.error;

/**
 * Every error Latchkey reports to a client. The wire name is what a client sees (an OAuth error
 * code where RFC 6749/6750/7009/7662/9126 define one, a Latchkey code elsewhere); the HTTP status
 * is the one the endpoint answers with. What went wrong in detail goes to the log, never here.
 */
public enum ErrorCode {
    // Generic request problems (JSON problem bodies, RFC 9457)
    MALFORMED_REQUEST("malformed_request", 400, "The request could not be read."),
    VALIDATION_FAILED("validation_failed", 400, "The request is not valid."),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "The request has an unsupported content type."),
    PAYLOAD_TOO_LARGE("payload_too_large", 413, "The request body is too large."),
    URI_TOO_LONG("uri_too_long", 414, "The request URI is too long."),
    HEADERS_TOO_LARGE("headers_too_large", 431, "The request header fields are too large."),
    HTTP_VERSION_NOT_SUPPORTED("http_version_not_supported", 505, "The HTTP version is not supported."),
    NOT_FOUND("not_found", 404, "Not found."),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "Method not allowed."),
    CSRF_FAILED("csrf_failed", 403, "The request failed the cross-site request forgery check."),
    FORBIDDEN("forbidden", 403, "You are not allowed to do this."),
    RATE_LIMITED("rate_limited", 429, "Too many requests. Try again later."),
    SERVICE_UNAVAILABLE("service_unavailable", 503, "The service is temporarily unavailable."),
    INTERNAL("internal_error", 500, "Something went wrong on our side."),

    // Accounts and sign-in
    EMAIL_TAKEN("email_taken", 409, "An account with this e-mail address already exists."),
    INVALID_EMAIL("invalid_email", 400, "The e-mail address is not valid."),
    WEAK_PASSWORD("weak_password", 400, "The password does not meet the password policy."),
    INVALID_CREDENTIALS("invalid_credentials", 401, "The e-mail address or password is incorrect."),
    ACCOUNT_LOCKED("login_locked", 429, "Too many failed sign-in attempts. Try again later."),
    ACCOUNT_DISABLED("account_disabled", 403, "This account is disabled."),
    UNAUTHENTICATED("unauthenticated", 401, "Sign-in required."),
    EMAIL_NOT_VERIFIED("email_not_verified", 403, "Confirm your e-mail address first: we sent you a link."),
    STEP_REQUIRED("sign_in_step_required", 403, "Another sign-in step is required."),
    MAIL_UNAVAILABLE("mail_unavailable", 503, "This server cannot send e-mail, so this feature is off."),
    FEATURE_DISABLED("feature_disabled", 404, "This feature is turned off on this server."),
    /** An identity provider of the configuration file or environment: the admin API and CLI cannot change it. */
    PROVIDER_READ_ONLY("provider_read_only", 409, "This identity provider is defined in the configuration; change it there."),

    // Organizations and roles (docs/authorization.md)
    NOT_A_MEMBER("not_a_member", 403, "You are not a member of this organization."),
    SLUG_TAKEN("slug_taken", 409, "Another organization already has this slug."),
    // Invitations (docs/authorization.md#invitations)
    ALREADY_MEMBER("already_member", 409, "This person is already a member of the organization."),
    INVITATION_PENDING("invitation_pending", 409, "An invitation to this address is already pending; revoke it first to send a new one."),
    INVITATION_INVALID("invitation_invalid", 400, "This invitation link is not valid. Ask for a new invitation."),
    INVITATION_NOT_PENDING("invitation_not_pending", 409, "This invitation is no longer pending."),
    INVITATION_USED("invitation_used", 409, "This invitation was already accepted."),
    INVITATION_REVOKED("invitation_revoked", 410, "This invitation was withdrawn. Ask for a new invitation."),
    INVITATION_EXPIRED("invitation_expired", 410, "This invitation has expired. Ask for a new invitation."),
    INVITATION_WRONG_EMAIL("invitation_wrong_email", 403,
            "This invitation is for another e-mail address. Sign in with the address it was sent to."),

    // Passkeys (WebAuthn, docs/mfa.md#passkeys)
    PASSKEY_INVALID("passkey_invalid", 400, "The passkey response could not be verified. Nothing was changed; try again."),
    PASSKEY_CHALLENGE_INVALID("passkey_challenge_invalid", 400,
            "This passkey request is not valid for this browser, expired or was already used. Nothing was changed; start again."),
    PASSKEY_UNKNOWN("passkey_unknown", 401, "This passkey is not registered for an account here."),
    PASSKEY_COUNTER_REGRESSED("passkey_counter_regressed", 401,
            "This passkey was refused: its signature counter went backwards, which a copied key would do. Use another sign-in method."),
    PASSKEY_EXISTS("passkey_exists", 409, "This passkey is already registered."),
    REAUTHENTICATION_REQUIRED("reauthentication_required", 403, "For this change, sign in again first."),
    LAST_SIGN_IN_METHOD("last_sign_in_method", 409,
            "This is your only way to sign in. Confirm that you want to remove it anyway."),

    // Mailed links and codes (verification, password reset, magic links, e-mail change)
    MAIL_TOKEN_INVALID("mail_token_invalid", 400, "This link is not valid. Request a new one."),
    MAIL_TOKEN_EXPIRED("mail_token_expired", 400, "This link has expired. Request a new one."),
    MAIL_TOKEN_USED("mail_token_used", 400, "This link was already used. Request a new one."),
    MAIL_CODE_INVALID("mail_code_invalid", 400, "The code is not correct."),

    // Second factors (TOTP, recovery codes) and step-up
    MFA_REQUIRED("mfa_required", 401, "Confirm it is you with your second factor."),
    MFA_ENROLMENT_REQUIRED("mfa_enrolment_required", 403, "This account must set up a second factor before signing in."),
    MFA_CHALLENGE_INVALID("mfa_challenge_invalid", 400, "This sign-in has expired, was already completed or was started in another browser. Sign in again."),
    MFA_CODE_INVALID("mfa_code_invalid", 400, "The code is not correct."),
    MFA_CODE_REPLAYED("mfa_code_replayed", 400, "This code was already used. Wait for the next one."),
    MFA_FACTOR_NOT_ENROLLED("mfa_factor_not_enrolled", 400, "This second factor is not set up for the account."),
    MFA_ALREADY_ENROLLED("mfa_already_enrolled", 409, "An authenticator app is already set up. Remove it first."),
    RECENT_MFA_REQUIRED("recent_mfa_required", 403, "Confirm it is you with your second factor first."),

    // Sessions and tokens
    SESSION_EXPIRED("session_expired", 401, "Your session has expired. Sign in again."),
    SESSION_REVOKED("session_revoked", 401, "Your session was ended. Sign in again."),
    REFRESH_TOKEN_MISSING("refresh_token_missing", 401, "No refresh token was presented."),
    REFRESH_TOKEN_INVALID("refresh_token_invalid", 401, "The refresh token is not valid."),
    REFRESH_TOKEN_REUSED("refresh_token_reused", 401, "The refresh token was already used; the session was ended."),
    /**
     * A late or duplicated refresh: the token was replaced moments ago and the session has moved on
     * to a newer one. 409, not 401: the session is not over, and the client keeps its newest token.
     */
    REFRESH_TOKEN_STALE("refresh_token_stale", 409,
            "This refresh token was replaced by a newer one moments ago (a late or repeated request); nothing was revoked: use the newest refresh token."),
    INVALID_TOKEN("invalid_token", 401, "The access token is missing, invalid or expired."),

    // OAuth 2.0 (RFC 6749 §5.2, §4.1.2.1; RFC 6750; RFC 9126)
    INVALID_REQUEST("invalid_request", 400, "The request is missing a parameter or is malformed."),
    INVALID_CLIENT("invalid_client", 401, "Client authentication failed."),
    INVALID_GRANT("invalid_grant", 400, "The grant is invalid, expired or was already used."),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400, "The client is not allowed to use this grant."),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400, "The grant type is not supported."),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400, "The response type is not supported."),
    INVALID_SCOPE("invalid_scope", 400, "The requested scope is invalid or not allowed."),
    INVALID_TARGET("invalid_target", 400, "The requested audience is not allowed."),
    ACCESS_DENIED("access_denied", 403, "The request was denied."),
    LOGIN_REQUIRED("login_required", 400, "Sign-in is required."),
    CONSENT_REQUIRED("consent_required", 400, "Consent is required."),
    INTERACTION_REQUIRED("interaction_required", 400, "User interaction is required."),
    INVALID_REQUEST_URI("invalid_request_uri", 400, "The request_uri is invalid or expired."),
    INSUFFICIENT_SCOPE("insufficient_scope", 403, "The token does not carry the required scope."),
    UNSUPPORTED_TOKEN_TYPE("unsupported_token_type", 400, "The token type is not supported."),

    // Relations (OpenFGA-compatible wire names, docs/relations.md)
    FGA_VALIDATION("validation_error", 400, "The request is not valid."),
    FGA_INVALID_MODEL("invalid_authorization_model", 400, "The authorization model is not valid."),
    FGA_WRITE_FAILED("write_failed_due_to_invalid_input", 400, "The write failed; nothing was written."),
    FGA_STORE_NOT_FOUND("store_id_not_found", 404, "No such store."),
    FGA_MODEL_NOT_FOUND("authorization_model_not_found", 404, "No such authorization model."),
    FGA_LATEST_MODEL_NOT_FOUND("latest_authorization_model_not_found", 400, "The store has no authorization model yet."),
    FGA_TOO_COMPLEX("authorization_model_resolution_too_complex", 400, "The query is deeper than the resolution depth limit."),
    FGA_FAN_OUT("resolution_fan_out_exceeded", 400, "The query needs more lookups than the fan-out limit allows."),
    /** 504 as OpenFGA answers it (gRPC DEADLINE_EXCEEDED through its HTTP gateway). */
    FGA_DEADLINE("deadline_exceeded", 504, "The query did not finish within its time limit."),
    FGA_INVALID_CONTINUATION_TOKEN("invalid_continuation_token", 400, "The continuation token is not valid."),
    FGA_ENTITY_LIMIT("exceeded_entity_limit", 400, "The request has too many items.");

    private final String wireName;
    private final int httpStatus;
    private final String description;

    ErrorCode(String wireName, int httpStatus, String description) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
        this.description = description;
    }

    /** The code as a client sees it (e.g. {@code invalid_grant}). */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A short description safe to show to a client. */
    public String description() {
        return description;
    }
}
