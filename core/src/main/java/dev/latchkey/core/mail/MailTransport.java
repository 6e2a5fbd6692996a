package dev.latchkey.core.mail;

/** Hands a mail to something that delivers it (SMTP, or the dev mailbox). */
public interface MailTransport {
    /** Delivers or throws; a throw means the outbox retries later. */
    void send(OutgoingMail mail) throws MailTransportException;

    /** A delivery attempt failed. {@code permanent}: retrying cannot help (e.g. the address was refused). */
    final class MailTransportException extends Exception {
        private final boolean permanent;

        public MailTransportException(String message, boolean permanent, Throwable cause) {
            super(message, cause);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
