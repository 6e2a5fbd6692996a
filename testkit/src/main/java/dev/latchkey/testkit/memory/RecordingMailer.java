package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.mail.OutgoingMail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A {@link Mailer} that keeps what it was asked to send, for unit tests of the e-mail flows. */
public final class RecordingMailer implements Mailer {
    /** One message and where it went. */
    public record Sent(EmailAddress to, String name, MailMessage message) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private volatile boolean available = true;

    public void available(boolean a) {
        this.available = a;
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public synchronized void send(EmailAddress to, String recipientName, MailMessage message) {
        if (!available) {
            throw new IllegalStateException("mail is not available");
        }
        sent.add(new Sent(to, recipientName, message));
    }

    /** Records the message like {@link #send} (the caller stores the mail) and returns a plain-text rendering of it. */
    @Override
    public OutgoingMail compose(EmailAddress to, String recipientName, MailMessage message) {
        send(to, recipientName, message);
        return new OutgoingMail(UUID.randomUUID(), to.value(), message.getClass().getSimpleName(), message.toString(), null, Instant.now());
    }

    @Override
    public void queued() {
    }

    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The last message of a type, to take its token. */
    public synchronized <T extends MailMessage> T last(Class<T> type) {
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (type.isInstance(sent.get(i).message())) {
                return type.cast(sent.get(i).message());
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " was sent; sent: " + sent);
    }
}
