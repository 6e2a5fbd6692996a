package dev.latchkey.server.mail;

import java.util.List;

/** What the one mail template (HTML and plain text) renders: every mail has this shape. */
public record MailView(String product, String subject, String heading, String greeting, List<String> paragraphs, String actionLabel,
                       String actionUrl, String code, List<String> closing) {
    public MailView {
        paragraphs = List.copyOf(paragraphs);
        closing = List.copyOf(closing);
    }
}
