package dev.latchkey.server.mail;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.mail.MailMessage;
import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.Mailer;
import dev.latchkey.core.mail.OutgoingMail;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The server's {@link Mailer}: turns a message into a subject and an HTML and plain-text body (the
 * jte templates {@code mail/message.jte} and {@code jte-text/message.jte}, in the hosted pages' look),
 * with links under the public URL, and puts it in the outbox; delivery happens on a background thread.
 */
public final class MailComposer implements Mailer {
    private static final TemplateEngine HTML = TemplateEngine.createPrecompiled(ContentType.Html);
    private static final TemplateEngine TEXT = TemplateEngine.createPrecompiled(null, ContentType.Plain, null, "dev.latchkey.server.mail.text");

    private final MailOutbox outbox;
    private final Runnable wake;
    private final String issuer;
    private final String product;
    private final boolean available;
    private final Clock clock;

    /**
     * @param available false when no transport exists (production without SMTP): {@link #send} then refuses
     * @param wake      nudges the delivery thread after an enqueue
     */
    public MailComposer(MailOutbox outbox, Runnable wake, String issuer, String product, boolean available, Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.wake = Objects.requireNonNull(wake, "wake");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.product = Objects.requireNonNull(product, "product");
        this.available = available;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean available() {
        return available;
    }

    @Override
    public void send(EmailAddress to, String recipientName, MailMessage message) {
        outbox.enqueue(compose(to, recipientName, message));
        queued();
    }

    @Override
    public OutgoingMail compose(EmailAddress to, String recipientName, MailMessage message) {
        if (!available) {
            throw new IllegalStateException("no mail transport is configured");
        }
        MailView view = view(recipientName, message);
        StringOutput html = new StringOutput();
        HTML.render("mail/message.jte", view, html);
        StringOutput text = new StringOutput();
        TEXT.render("message.jte", view, text);
        return new OutgoingMail(UuidV7.next(clock), to.value(), view.subject(), text.toString(), html.toString(), clock.instant());
    }

    @Override
    public void queued() {
        wake.run();
    }

    MailView view(String name, MailMessage m) {
        String hello = name == null || name.isBlank() ? "Hello," : "Hello " + name + ",";
        String ignore = "If you did not ask for this, you can ignore this mail.";
        return switch (m) {
            case MailMessage.VerifyEmail v -> new MailView(product, "Confirm your e-mail address for " + product, "Confirm your e-mail address",
                    hello, List.of("Please confirm that this is your e-mail address for your " + product + " account."),
                    "Confirm my address", link("/verify-email", v.token()), null,
                    List.of("The link works once and expires in " + human(v.validFor()) + ".", ignore));
            case MailMessage.ResetPassword r -> new MailView(product, "Reset your " + product + " password", "Reset your password",
                    hello, List.of("Someone (hopefully you) asked to reset the password of your " + product + " account."),
                    "Choose a new password", link("/reset-password", r.token()), null,
                    List.of("The link works once and expires in " + human(r.validFor()) + ". Setting a new password signs you out everywhere.",
                            ignore + " Your password stays as it is."));
            case MailMessage.MagicLink l -> new MailView(product, "Your " + product + " sign-in link (code " + l.code() + ")",
                    "Sign in to " + product, hello, List.of("Use this link to sign in. It signs in the browser where you asked for it."),
                    "Sign in", link("/login/link", l.token()), l.code(),
                    List.of("The link and the code work once and expire in " + human(l.validFor()) + ".", ignore));
            case MailMessage.ConfirmNewEmail c -> new MailView(product, "Confirm your new e-mail address for " + product,
                    "Confirm your new address", hello,
                    List.of("You asked to change the e-mail address of your " + product + " account to " + c.newEmail() + ".",
                            "Nothing changes until you confirm. You will then sign in again with the new address."),
                    "Confirm the change", link("/account/email/confirm", c.token()), null,
                    List.of("The link works once and expires in " + human(c.validFor()) + ".", ignore));
            case MailMessage.EmailChanged c -> new MailView(product, "Your " + product + " e-mail address was changed", "Your e-mail address was changed",
                    hello, List.of("The e-mail address of your " + product + " account was changed from " + c.oldEmail() + " to "
                            + c.newEmail() + ". Every session was signed out."),
                    "I did not do this: reset my password", issuer + "/forgot-password", null,
                    List.of("If you made this change, there is nothing to do."));
            case MailMessage.SignupAttempted a -> new MailView(product, "Someone tried to sign up to " + product + " with your address",
                    "You already have an account", hello, List.of("Someone (perhaps you) tried to create a new " + product
                            + " account with this e-mail address, which already has one. No new account was created.",
                            "If it was you, sign in with your address. Forgot your password? Reset it: " + issuer + "/forgot-password"),
                    "Sign in", issuer + "/login", null,
                    List.of("If it was not you, you can ignore this mail: your account is unchanged."));
            case MailMessage.Invitation i -> new MailView(product, "You are invited to join " + i.organization() + " on " + product,
                    "Join " + i.organization(), hello, List.of("You are invited to join the organization " + i.organization() + " on "
                            + product + ". Sign in (or create an account) with this e-mail address to accept."),
                    "Accept the invitation", link("/invitations/accept", i.token()), null,
                    List.of("The invitation works once and expires in " + human(i.validFor()) + ".",
                            "If you do not know this organization, you can ignore this mail."));
        };
    }

    private String link(String path, String token) {
        return issuer + path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    static String human(Duration d) {
        if (d.toDays() >= 1 && d.toHoursPart() == 0) {
            return d.toDays() == 1 ? "1 day" : d.toDays() + " days";
        }
        if (d.toHours() >= 1 && d.toMinutesPart() == 0) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        long m = Math.max(1, d.toMinutes());
        return m == 1 ? "1 minute" : m + " minutes";
    }
}
