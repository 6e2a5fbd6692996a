package dev.latchkey.server.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) on a free loopback port, and reading what it received. */
public final class Mailbox implements AutoCloseable {
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");
    private static final Pattern CODE = Pattern.compile("code[^0-9]{0,60}([0-9]{6})");

    public final int port;
    private GreenMail green;

    /** One received mail: recipient, subject, the plain-text and HTML bodies. */
    public record Received(String to, String subject, String text, String html) {
        public String link(String pathPrefix) {
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                if (m.group().contains(pathPrefix)) {
                    return m.group();
                }
            }
            throw new AssertionError("no link to " + pathPrefix + " in: " + text);
        }

        public String token() {
            String l = LINK.matcher(text).results().map(r -> r.group()).filter(x -> x.contains("token=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no token link in " + text));
            return java.net.URLDecoder.decode(l.substring(l.indexOf("token=") + 6), java.nio.charset.StandardCharsets.UTF_8);
        }

        public String code() {
            Matcher m = CODE.matcher(text);
            if (!m.find()) {
                throw new AssertionError("no code in " + text);
            }
            return m.group(1);
        }
    }

    private Mailbox(int port) {
        this.port = port;
        start();
    }

    public static Mailbox open() {
        return new Mailbox(freePort());
    }

    /** (Re)starts the SMTP server on the same port. */
    public void start() {
        green = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        green.start();
    }

    /** Stops it (an SMTP outage); received mails are forgotten. */
    public void stop() {
        green.stop();
    }

    /** The settings that make a server deliver here. */
    public Map<String, String> env() {
        return Map.of("LATCHKEY_SMTP_HOST", "127.0.0.1", "LATCHKEY_SMTP_PORT", Integer.toString(port), "LATCHKEY_SMTP_TLS", "none",
                "LATCHKEY_SMTP_FROM", "login@latchkey.test", "LATCHKEY_SMTP_PRODUCT_NAME", "Acme Login");
    }

    public List<Received> all() {
        List<Received> out = new ArrayList<>();
        for (MimeMessage m : green.getReceivedMessages()) {
            out.add(read(m));
        }
        return out;
    }

    /** Waits for the next mail to {@code to} whose subject contains {@code subject}, received after {@code skip} such mails. */
    public Received await(String to, String subject, int skip) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> matching = all().stream().filter(r -> r.to().equalsIgnoreCase(to) && r.subject().contains(subject)).toList();
            if (matching.size() > skip) {
                return matching.get(skip);
            }
            sleep(100);
        }
        throw new AssertionError("no mail '" + subject + "' to " + to + " within 60 s; received: " + all());
    }

    public Received await(String to, String subject) {
        return await(to, subject, 0);
    }

    private static Received read(MimeMessage m) {
        try {
            String text = null;
            String html = null;
            Object content = m.getContent();
            if (content instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart p = mp.getBodyPart(i);
                    if (p.isMimeType("text/plain")) {
                        text = (String) p.getContent();
                    } else if (p.isMimeType("text/html")) {
                        html = (String) p.getContent();
                    }
                }
            } else {
                text = content.toString();
            }
            return new Received(m.getRecipients(Message.RecipientType.TO)[0].toString(), m.getSubject(), text, html);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        green.stop();
    }
}
