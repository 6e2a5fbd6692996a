package dev.latchkey.gateway;

/**
 * What a gateway client can be told, with its wire name and HTTP status. The detail of a failure goes to the log
 * (with the trace id), never into the response.
 */
public enum GatewayError {
    MALFORMED_REQUEST("malformed_request", 400, "The request could not be read."),
    INVALID_ORGANIZATION("invalid_organization", 400,
            "organization must be an organization's id (a UUID) or its slug (1-63 lower-case letters, digits and hyphens)."),
    UNAUTHENTICATED("unauthenticated", 401, "Sign-in required."),
    SESSION_EXPIRED("session_expired", 401, "Your session has expired. Sign in again."),
    API_KEY_INVALID("api_key_invalid", 401, "The API key is invalid, expired or revoked."),
    CSRF_FAILED("csrf_failed", 403, "The request failed the cross-site request forgery check."),
    NOT_FOUND("not_found", 404, "Not found."),
    NOT_A_MEMBER("not_a_member", 403, "You are not a member of this organization."),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "Method not allowed."),
    URI_TOO_LONG("uri_too_long", 414, "The request URI is too long."),
    HEADERS_TOO_LARGE("headers_too_large", 431, "The request header fields are too large."),
    HTTP_VERSION_NOT_SUPPORTED("http_version_not_supported", 505, "The HTTP version is not supported."),
    PAYLOAD_TOO_LARGE("payload_too_large", 413, "The request body is too large."),
    INTERNAL("internal_error", 500, "Something went wrong on our side."),
    BAD_GATEWAY("bad_gateway", 502, "The upstream service could not be reached."),
    ISSUER_UNAVAILABLE("issuer_unavailable", 503, "The sign-in service is temporarily unavailable."),
    UPSTREAM_TIMEOUT("upstream_timeout", 504, "The upstream service did not answer in time.");

    private final String wireName;
    private final int status;
    private final String title;

    GatewayError(String wireName, int status, String title) {
        this.wireName = wireName;
        this.status = status;
        this.title = title;
    }

    public String wireName() {
        return wireName;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
