package dev.latchkey.sdk.token;

import java.util.Optional;

/**
 * Whom a verified access token speaks for: a user (through one of their sessions) or a client acting for itself
 * (an OAuth {@code client_credentials} token, a machine). Latchkey writes the two apart in the claims themselves:
 * a user's token has {@code sid} (the session) and {@code sub} is the user id (a UUID); a client's token has
 * {@code sub} = {@code client_id} (RFC 9068 §2.2), {@code sub_type: "client"}, and no {@code sid}. The rule this
 * SDK applies: <b>a token is a user's only when it has a {@code sid} and no {@code sub_type}</b>; anything else
 * is a client's. (Latchkey refuses client ids that look like a UUID, so no client's {@code sub} equals a user's.)
 */
public enum PrincipalKind {
    USER,
    CLIENT;

    /** The claim that marks a client's token. */
    public static final String SUB_TYPE = "sub_type";

    static PrincipalKind of(Optional<String> sessionId, Claims claims) {
        return sessionId.filter(s -> !s.isEmpty()).isPresent() && !claims.has(SUB_TYPE) ? USER : CLIENT;
    }
}
