package dev.latchkey.sdk.token;

/**
 * Why an access token was refused. {@link #description()} is safe to send to the client as an RFC 6750
 * §3 {@code error_description}: fixed ASCII text, never a claim value or a part of the token.
 */
public enum RejectReason {
    /** Not a compact JWS, a claim of the wrong type, or a claim RFC 9068 §2.2 requires is missing. */
    MALFORMED("The access token is malformed"),
    /** {@code alg} is {@code none}, an HMAC algorithm, or not the one the signing key is published for. */
    DISALLOWED_ALGORITHM("The access token is signed with an algorithm that is not accepted"),
    /** The header names its own key or key location ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) or has {@code crit}. */
    FORBIDDEN_HEADER("The access token header carries a parameter that is not accepted"),
    /** {@code typ} is not {@code at+jwt} (RFC 9068 §4), or not the verifier's {@code expectedType}. */
    WRONG_TYPE("The token is not an access token"),
    /** No published key has the token's {@code kid}. */
    UNKNOWN_KEY("The access token is signed with an unknown key"),
    /** The signature does not verify with the published key. */
    BAD_SIGNATURE("The access token signature is invalid"),
    /** {@code iss} is not the configured issuer (RFC 9068 §4). */
    WRONG_ISSUER("The access token was issued by another issuer"),
    /** {@code aud} does not name this resource server (RFC 9068 §4). */
    WRONG_AUDIENCE("The access token is not meant for this resource"),
    /** {@code exp} is in the past, beyond the allowed clock skew (RFC 7519 §4.1.4). */
    EXPIRED("The access token expired"),
    /** {@code nbf} or {@code iat} is in the future, beyond the allowed clock skew (RFC 7519 §4.1.5, §4.1.6). */
    NOT_YET_VALID("The access token is not valid yet"),
    /** The configured {@link RevocationCheck} says the issuer revoked it. */
    REVOKED("The access token was revoked"),
    /** An API key ({@code lk_…}) the issuer refused to exchange: unknown, wrong, revoked, expired, or its owner disabled. */
    API_KEY_REFUSED("The API key is invalid, expired or revoked"),
    /** The issuer's keys could not be fetched (or an API key could not be exchanged): not the token's fault, so not an {@code invalid_token}. */
    KEYS_UNAVAILABLE("The token issuer's keys are unavailable");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** True when the request may succeed later without a new token (the issuer was unreachable). */
    public boolean isTransient() {
        return this == KEYS_UNAVAILABLE;
    }
}
