package dev.latchkey.core.mail;

import java.time.Instant;

/** A token just issued: the secrets to put in the mail (never stored or logged) and when it expires. */
public record IssuedMailToken(MailToken stored, String value, String code, Instant expiresAt) {
    @Override
    public String toString() {
        return "IssuedMailToken[" + stored.id() + "]";
    }
}
