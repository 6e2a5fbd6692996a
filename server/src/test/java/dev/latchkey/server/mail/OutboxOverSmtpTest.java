package dev.latchkey.server.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.mail.OutboxDelivery;
import dev.latchkey.core.mail.OutgoingMail;
import dev.latchkey.server.config.LatchkeyConfig;
import dev.latchkey.store.sql.Database;
import dev.latchkey.store.sql.PgMailOutbox;
import dev.latchkey.store.sql.PostgresUrl;
import dev.latchkey.testkit.MutableClock;
import dev.latchkey.testkit.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL outbox delivering through the SMTP adapter to a real SMTP server (GreenMail). */
class OutboxOverSmtpTest {
    TestPostgres.Database db;
    Database node1;
    Database node2;
    Mailbox smtp;
    final MasterKey key = MasterKey.generate();
    final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void start() {
        db = TestPostgres.createDatabase();
        node1 = Database.open(new Database.Settings(PostgresUrl.parse(db.jdbcUrl()), 4, Duration.ofSeconds(10)));
        node2 = Database.open(new Database.Settings(PostgresUrl.parse(db.jdbcUrl()), 4, Duration.ofSeconds(10)));
        smtp = Mailbox.open();
    }

    @AfterEach
    void stop() {
        smtp.close();
        node1.close();
        node2.close();
        db.close();
    }

    SmtpTransport transport() {
        return new SmtpTransport(new LatchkeyConfig.Smtp("127.0.0.1", smtp.port, LatchkeyConfig.SmtpTls.NONE, Optional.empty(),
                Optional.empty(), "login@latchkey.test"), "Acme Login");
    }

    OutgoingMail mail(PgMailOutbox outbox, String to, String subject) {
        OutgoingMail m = new OutgoingMail(UuidV7.next(), to, subject, "Open https://login.test/x?token=abc", "<p>Open</p>", clock.instant());
        outbox.enqueue(m);
        return m;
    }

    @Test
    void aMailIsNotLostWhileSmtpIsDownAndIsSentOnceItIsBack() {
        PgMailOutbox outbox = new PgMailOutbox(node1.jdbc(), key);
        OutboxDelivery delivery = new OutboxDelivery(outbox, transport(), clock, Duration.ofMinutes(2), 5);
        smtp.stop();
        mail(outbox, "ada@example.test", "Outage test");
        assertThat(delivery.runOnce()).isEqualTo(1);
        assertThat(outbox.pending()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(delivery.runOnce()).as("waits for its back-off").isZero();

        smtp.start();
        clock.advance(Duration.ofSeconds(21));
        assertThat(delivery.runOnce()).isEqualTo(1);
        Mailbox.Received r = smtp.await("ada@example.test", "Outage test");
        assertThat(r.text()).contains("https://login.test/x?token=abc");
        assertThat(r.html()).contains("<p>Open</p>");
        assertThat(outbox.pending()).isZero();
        clock.advance(Duration.ofHours(2));
        delivery.runOnce();
        assertThat(smtp.all()).hasSize(1);
    }

    @Test
    void twoNodesDeliverEveryMailExactlyOnce() throws Exception {
        PgMailOutbox outbox1 = new PgMailOutbox(node1.jdbc(), key);
        PgMailOutbox outbox2 = new PgMailOutbox(node2.jdbc(), key);
        Set<String> subjects = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String s = "Mail " + i;
            subjects.add(s);
            mail(i % 2 == 0 ? outbox1 : outbox2, "m" + i + "@example.test", s);
        }
        List<OutboxDelivery> nodes = List.of(new OutboxDelivery(outbox1, transport(), clock, Duration.ofMinutes(2), 1),
                new OutboxDelivery(outbox2, transport(), clock, Duration.ofMinutes(2), 1));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                OutboxDelivery d = nodes.get(t % 2);
                fs.add(pool.submit(() -> {
                    while (d.runOnce() > 0) {
                        // until nothing is due
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertThat(outbox1.pending()).isZero();
        List<String> got = smtp.all().stream().map(Mailbox.Received::subject).toList();
        assertThat(got).hasSize(30).doesNotHaveDuplicates();
        assertThat(new HashSet<>(got)).isEqualTo(subjects);
    }
}
