package dev.latchkey.core.session;

import dev.latchkey.core.token.TokenSubject;
import java.time.Instant;

/** A refresh token handed out (new or rotated), with the subject to mint the access token for. */
public record TokenGrant(TokenSubject subject, String refreshToken, Instant refreshExpiresAt) {
    @Override
    public String toString() {
        return "TokenGrant[family=" + subject.familyId() + "]";
    }
}
