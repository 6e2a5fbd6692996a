package dev.latchkey.server.mail;

import dev.latchkey.core.mail.MailTransport;
import dev.latchkey.core.mail.OutgoingMail;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code latchkey dev}'s stand-in for SMTP: mails are kept in memory (the newest 200) for the
 * {@code /dev/mail} page, and each mail's links and code are printed on the console so a newcomer can
 * click through at once. Never used by {@code latchkey server}.
 */
public final class DevMailbox implements MailTransport {
    private static final int KEEP = 200;
    private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");
    private static final Pattern CODE = Pattern.compile("code[^0-9]{0,40}([0-9]{6})");

    private final Deque<Received> mails = new ConcurrentLinkedDeque<>();
    private final java.io.PrintStream console;

    /** A mail as the dev mailbox shows it. */
    public record Received(OutgoingMail mail, List<String> links, String code) {
    }

    public DevMailbox(java.io.PrintStream console) {
        this.console = console;
    }

    @Override
    public void send(OutgoingMail mail) {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(mail.text());
        while (m.find()) {
            if (!links.contains(m.group())) {
                links.add(m.group());
            }
        }
        Matcher c = CODE.matcher(mail.text());
        String code = c.find() ? c.group(1) : null;
        mails.addFirst(new Received(mail, List.copyOf(links), code));
        while (mails.size() > KEEP) {
            mails.pollLast();
        }
        StringBuilder b = new StringBuilder("\n  ✉  dev mailbox: \"").append(mail.subject()).append("\" to ").append(mail.to()).append('\n');
        links.forEach(l -> b.append("     ").append(l).append('\n'));
        if (code != null) {
            b.append("     code: ").append(code).append('\n');
        }
        console.print(b);
        console.flush();
    }

    /** Newest first. */
    public List<Received> mails() {
        return List.copyOf(mails);
    }
}
