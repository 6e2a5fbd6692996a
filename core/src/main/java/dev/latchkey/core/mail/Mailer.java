package dev.latchkey.core.mail;

import dev.latchkey.core.account.EmailAddress;

/** Sends a message to an address: renders it and puts it in the outbox (never waits for delivery). */
public interface Mailer {
    /** False when this server cannot send mail (production without SMTP): flows that need it are off. */
    boolean available();

    void send(EmailAddress to, String recipientName, MailMessage message);
}
