package dev.latchkey.sdk.token;

import java.util.Optional;

/**
 * Whom a verified access token speaks for: a user (through one of their sessions) or a client acting for itself
 * (an OAuth {@code client_credentials} token, a machine). Latchkey writes the two apart in the claims themselves:
 * a user's token has {@code sid} (the session) and {@code sub} is the user id (a UUID); a client's token has
 * {@code sub} = {@code client_id} (RFC 9068 §2.2), {@code sub_type: "client"}, and no {@code sid}. The rule this
 * SDK applies: <b>a token is a user's only when it has a {@code sid} and no {@code sub_type}</b>; anything else
 * is a client's. (Latchkey refuses client ids that look like a UUID, so no client's {@code sub} equals a user's.)
 *
 * <p>A third kind, an organization's <b>service account</b>, has {@code sub_type: "service_account"} and
 * {@code sub = "sa_<uuid>"} (never a UUID, and no client id starts with {@code sa_}), plus the {@code org},
 * {@code roles} and {@code permissions} of the account; it is never a user.
 */
public enum PrincipalKind {
    USER,
    CLIENT,
    SERVICE_ACCOUNT;

    /** The claim that marks a client's token. */
    public static final String SUB_TYPE = "sub_type";

    /** {@code sub_type} of a service account's token. */
    public static final String SERVICE_ACCOUNT_SUB_TYPE = "service_account";
    /** What a service account's {@code sub} starts with. */
    public static final String SERVICE_ACCOUNT_PREFIX = "sa_";

    static PrincipalKind of(Optional<String> sessionId, Claims claims) {
        if (claims.string(SUB_TYPE).filter(SERVICE_ACCOUNT_SUB_TYPE::equals).isPresent()
                && claims.string("sub").filter(s -> s.startsWith(SERVICE_ACCOUNT_PREFIX)).isPresent()) {
            return SERVICE_ACCOUNT;
        }
        return sessionId.filter(s -> !s.isEmpty()).isPresent() && !claims.has(SUB_TYPE) ? USER : CLIENT;
    }
}
