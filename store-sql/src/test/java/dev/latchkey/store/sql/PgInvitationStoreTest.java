package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.account.User;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.mail.OutgoingMail;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.invite.Invitation;
import dev.latchkey.core.org.invite.InvitationStore.Acceptance;
import dev.latchkey.core.org.invite.InvitationStore.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Invitations on real PostgreSQL: accepted at most once, only by the invited address, never when revoked or expired. */
class PgInvitationStoreTest {
    static StoreFixture fx;
    static PgOrgStore orgs;
    static PgInvitationStore invites;
    static PgMailOutbox outbox;

    @BeforeAll
    static void db() {
        fx = new StoreFixture();
        orgs = new PgOrgStore(fx.jdbc);
        outbox = new PgMailOutbox(fx.jdbc, MasterKey.generate());
        invites = new PgInvitationStore(fx.jdbc, outbox);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static UUID org() {
        UUID id = UuidV7.next();
        orgs.create(new Organization(id, "Acme", Instant.now()));
        return id;
    }

    private static byte[] invite(UUID org, String email, Instant now, Duration ttl) {
        byte[] hash = Digests.sha256(RandomTokens.token());
        assertThat(invites.create(new Invitation(UuidV7.next(), org, email, List.of("editor"), hash, Invitation.Status.PENDING, now,
                now.plus(ttl), null, null), mail(email, now))).isTrue();
        return hash;
    }

    private static OutgoingMail mail(String to, Instant now) {
        return new OutgoingMail(UuidV7.next(), to, "You are invited", "the invitation link", null, now);
    }

    private static long mailsTo(String to) {
        return fx.jdbc.queryOne("SELECT count(*) FROM mail_outbox WHERE to_address = ?", rs -> rs.getLong(1), to).orElseThrow();
    }

    private static long invitationsFor(String email) {
        return fx.jdbc.queryOne("SELECT count(*) FROM invitations WHERE email = ?", rs -> rs.getLong(1), email).orElseThrow();
    }

    @Test
    void theInvitationAndItsMailCommitTogetherOrNotAtAll() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID org = org();
        String ok = "both-" + UUID.randomUUID() + "@example.test";
        invite(org, ok, now, Duration.ofDays(7));
        assertThat(invitationsFor(ok)).isEqualTo(1);
        assertThat(mailsTo(ok)).as("the mail is in the outbox with it").isEqualTo(1);

        // a duplicate pending invitation: refused, and its mail is not queued either
        assertThat(invites.create(new Invitation(UuidV7.next(), org, ok, List.of(), Digests.sha256(RandomTokens.token()),
                Invitation.Status.PENDING, now, now.plusSeconds(60), null, null), mail(ok, now))).isFalse();
        assertThat(mailsTo(ok)).isEqualTo(1);

        // the outbox refuses the mail (a trigger raising for this one address): no invitation is left behind
        String failing = "outbox-fails-" + UUID.randomUUID() + "@example.test";
        fx.jdbc.update("""
                CREATE OR REPLACE FUNCTION test_outbox_refuses() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.to_address LIKE 'outbox-fails-%' THEN RAISE EXCEPTION 'outbox refuses'; END IF;
                    RETURN NEW;
                END; $$""");
        fx.jdbc.update("CREATE TRIGGER test_outbox_refuses BEFORE INSERT ON mail_outbox FOR EACH ROW EXECUTE FUNCTION test_outbox_refuses()");
        try {
            Invitation inv = new Invitation(UuidV7.next(), org, failing, List.of(), Digests.sha256(RandomTokens.token()),
                    Invitation.Status.PENDING, now, now.plusSeconds(60), null, null);
            assertThatThrownBy(() -> invites.create(inv, mail(failing, now)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("outbox refuses");
            assertThat(invitationsFor(failing)).as("the invitation rolled back with its mail").isZero();
        } finally {
            fx.jdbc.update("DROP TRIGGER test_outbox_refuses ON mail_outbox");
        }
        invite(org, failing, now, Duration.ofDays(7));
        assertThat(invitationsFor(failing)).as("nothing pending blocked a new invitation").isEqualTo(1);
    }

    @Test
    void twentyConcurrentAcceptsMakeExactlyOneMembership() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID org = org();
        String email = "race-" + UUID.randomUUID() + "@example.test";
        User u = fx.newUser(email, now);
        byte[] hash = invite(org, email, now, Duration.ofDays(7));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Acceptance>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int k = 0; k < 20; k++) {
                Callable<Acceptance> c = () -> {
                    start.await();
                    return invites.accept(hash, u.id(), email.toUpperCase(), now);
                };
                results.add(pool.submit(c));
            }
            start.countDown();
            int accepted = 0;
            int used = 0;
            for (Future<Acceptance> f : results) {
                Acceptance a = f.get();
                if (a instanceof Acceptance.Accepted) {
                    accepted++;
                } else if (a instanceof Acceptance.Refused(Reason r) && r == Reason.USED) {
                    used++;
                }
            }
            assertThat(accepted).isEqualTo(1);
            assertThat(used).isEqualTo(19);
        }
        assertThat(orgs.members(org)).hasSize(1).first().satisfies(m -> assertThat(m.roles()).containsExactly("editor"));
    }

    @Test
    void wrongEmailRevokedExpiredUnknownAndDuplicatesAreRefused() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID org = org();
        String email = "inv-" + UUID.randomUUID() + "@example.test";
        User invited = fx.newUser(email, now);
        User other = fx.newUser("other-" + UUID.randomUUID() + "@example.test", now);
        byte[] hash = invite(org, email, now, Duration.ofDays(7));
        assertThat(invites.create(new Invitation(UuidV7.next(), org, email.toUpperCase(), List.of(), Digests.sha256(RandomTokens.token()),
                Invitation.Status.PENDING, now, now.plusSeconds(60), null, null), mail(email, now))).as("one pending invitation per address").isFalse();

        assertThat(invites.accept(hash, other.id(), other.email().value(), now)).isEqualTo(new Acceptance.Refused(Reason.WRONG_EMAIL));
        assertThat(invites.accept(Digests.sha256("tampered"), invited.id(), email, now)).isEqualTo(new Acceptance.Refused(Reason.NOT_FOUND));
        assertThat(invites.accept(hash, invited.id(), email, now.plus(Duration.ofDays(8)))).isEqualTo(new Acceptance.Refused(Reason.EXPIRED));

        Invitation inv = invites.findByHash(hash).orElseThrow();
        assertThat(invites.revoke(org, inv.id(), now)).isTrue();
        assertThat(invites.revoke(org, inv.id(), now)).isFalse();
        assertThat(invites.accept(hash, invited.id(), email, now)).isEqualTo(new Acceptance.Refused(Reason.REVOKED));
        assertThat(orgs.members(org)).isEmpty();
        assertThat(invites.list(org, null, 10)).extracting(i -> i.statusAt(now)).containsExactly(Invitation.Status.REVOKED);

        byte[] again = invite(org, email, now, Duration.ofDays(7));
        orgs.setMembership(org, invited.id(), List.of("viewer"), now);
        assertThat(invites.accept(again, invited.id(), email, now)).isEqualTo(new Acceptance.Refused(Reason.ALREADY_MEMBER));
    }
}
