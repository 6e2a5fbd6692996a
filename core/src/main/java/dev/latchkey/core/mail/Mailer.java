package dev.latchkey.core.mail;

import dev.latchkey.core.account.EmailAddress;

/** Sends a message to an address: renders it and puts it in the outbox (never waits for delivery). */
public interface Mailer {
    /** False when this server cannot send mail (production without SMTP): flows that need it are off. */
    boolean available();

    void send(EmailAddress to, String recipientName, MailMessage message);

    /**
     * Renders a message into the mail the outbox stores, without storing it: for a flow whose store puts the mail in
     * the outbox in the same transaction as its own change (an invitation and its mail), then calls {@link #queued}.
     */
    OutgoingMail compose(EmailAddress to, String recipientName, MailMessage message);

    /** Tells delivery that a mail from {@link #compose} was stored (it wakes the delivery thread). */
    void queued();
}
