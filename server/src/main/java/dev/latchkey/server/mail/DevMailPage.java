package dev.latchkey.server.mail;

import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.pages.PageModels;
import dev.latchkey.server.pages.Pages;
import io.javalin.config.RoutesConfig;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code GET /dev/mail}: the dev mailbox as a page. Registered only by {@code latchkey dev}. */
public final class DevMailPage implements Endpoints {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final DevMailbox mailbox;
    private final Pages pages;

    public DevMailPage(DevMailbox mailbox, Pages pages) {
        this.mailbox = mailbox;
        this.pages = pages;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/dev/mail", ctx -> {
            ctx.header("Cache-Control", "no-store");
            pages.render(ctx, 200, "devmail.jte", new PageModels.DevMail(mailbox.mails().stream()
                    .map(m -> new PageModels.DevMailItem(m.mail().id().toString(), m.mail().to(), m.mail().subject(),
                            WHEN.format(m.mail().createdAt()) + " UTC", m.links(), m.code()))
                    .toList()));
        });
    }
}
