package dev.latchkey.server.mail;

import dev.latchkey.core.mail.MailTransport;
import dev.latchkey.core.mail.OutgoingMail;
import dev.latchkey.server.config.LatchkeyConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Delivers over SMTP with Jakarta Mail (Angus): multipart/alternative (plain text and HTML), STARTTLS
 * required or implicit TLS as configured, bounded connect/read/write timeouts (so a hung server cannot
 * hold an outbox lease). A recipient the server refuses is a permanent failure; anything else is retried.
 */
public final class SmtpTransport implements MailTransport {
    static final int TIMEOUT_MS = 20_000;

    private final LatchkeyConfig.Smtp smtp;
    private final Session session;
    private final InternetAddress from;

    public SmtpTransport(LatchkeyConfig.Smtp smtp, String productName) {
        this.smtp = smtp;
        boolean implicitTls = smtp.tls() == LatchkeyConfig.SmtpTls.TLS;
        String p = implicitTls ? "mail.smtps." : "mail.smtp.";
        Properties props = new Properties();
        props.put("mail.transport.protocol", implicitTls ? "smtps" : "smtp");
        props.put(p + "host", smtp.host());
        props.put(p + "port", Integer.toString(smtp.port()));
        props.put(p + "connectiontimeout", Integer.toString(TIMEOUT_MS));
        props.put(p + "timeout", Integer.toString(TIMEOUT_MS));
        props.put(p + "writetimeout", Integer.toString(TIMEOUT_MS));
        props.put(p + "auth", Boolean.toString(smtp.user().isPresent()));
        if (smtp.tls() == LatchkeyConfig.SmtpTls.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (smtp.tls() != LatchkeyConfig.SmtpTls.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(props);
        try {
            this.from = new InternetAddress(smtp.from(), productName, StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void send(OutgoingMail mail) throws MailTransportException {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(from);
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            m.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
            m.setSentDate(Date.from(mail.createdAt()));
            m.setHeader("Auto-Submitted", "auto-generated");
            MimeMultipart body = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            body.addBodyPart(text);
            if (mail.html() != null) {
                MimeBodyPart html = new MimeBodyPart();
                html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
                body.addBodyPart(html);
            }
            m.setContent(body);
            m.saveChanges();
            Transport t = session.getTransport();
            try {
                if (smtp.user().isPresent()) {
                    t.connect(smtp.host(), smtp.port(), smtp.user().get(), smtp.password().orElse(""));
                } else {
                    t.connect();
                }
                t.sendMessage(m, m.getAllRecipients());
            } finally {
                t.close();
            }
        } catch (SendFailedException e) {
            boolean refused = e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0
                    || e.getValidUnsentAddresses() == null && e.getValidSentAddresses() == null && isPermanent(e);
            throw new MailTransportException("SMTP refused the mail: " + oneLine(e), refused, e);
        } catch (MessagingException e) {
            throw new MailTransportException("SMTP delivery failed: " + oneLine(e), false, e);
        }
    }

    /** 5xx replies (RFC 5321 §4.2.1) are permanent. */
    private static boolean isPermanent(MessagingException e) {
        String msg = e.getMessage();
        return msg != null && msg.matches("(?s)^5\\d\\d.*");
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("[\\r\\n]+", " ");
        return m.length() > 200 ? m.substring(0, 200) : m;
    }
}
