package dev.latchkey.core.session;

import dev.latchkey.core.token.RefreshFamily;
import dev.latchkey.core.token.TokenSubject;
import java.util.Objects;

/**
 * A token session built but not yet stored: its session, its refresh family and first token (none
 * for grants without refresh tokens), and the subject to mint the access token for. Stores insert
 * it inside the transaction that justifies it (e.g. redeeming an authorization code).
 */
public record PreparedGrant(Session session, RefreshFamily family, byte[] refreshTokenHash, String refreshToken,
                            TokenSubject subject) {
    public PreparedGrant {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(subject, "subject");
        if ((family == null) != (refreshToken == null)) {
            throw new IllegalArgumentException("a refresh family comes with its token");
        }
    }

    public TokenGrant toGrant() {
        return new TokenGrant(subject, refreshToken, family == null ? null : family.expiresAt());
    }

    @Override
    public String toString() {
        return "PreparedGrant[" + session.id() + "]";
    }
}
