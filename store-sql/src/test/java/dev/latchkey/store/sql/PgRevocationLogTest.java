package dev.latchkey.store.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.session.Revocation;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The revocation log against real PostgreSQL: entries become visible in seq order, and the replay window. */
class PgRevocationLogTest {
    static StoreFixture fx;
    static PgRevocationLog log;

    @BeforeAll
    static void db() {
        fx = new StoreFixture();
        log = new PgRevocationLog(fx.jdbc);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /**
     * Two revoking transactions that commit in the opposite order of their INSERTs: a reader that saw
     * the first commit and resumes after it must still see the second, so seq follows commit order.
     */
    @Test
    void seqFollowsCommitOrderSoAReaderResumingAfterTheLastEntryMissesNothing() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        UUID user = UUID.randomUUID();
        UUID early = UUID.randomUUID();
        UUID late = UUID.randomUUID();
        long before = log.head();
        try (Connection t1 = fx.db.connect(); Connection t2 = fx.db.connect()) {
            t1.setAutoCommit(false);
            t2.setAutoCommit(false);
            Revocations.session(t1, user, early, now);      // inserted first, committed last
            Revocations.session(t2, user, late, now);
            t2.commit();

            List<Revocation> seen = log.after(before, 100);
            assertThat(seen).extracting(Revocation::sessionId).containsExactly(late);
            long cursor = seen.get(0).seq();

            t1.commit();
            assertThat(log.after(cursor, 100)).extracting(Revocation::sessionId).containsExactly(early);
        }
        assertThat(log.after(before, 100)).extracting(Revocation::sessionId).containsExactly(late, early);
    }

    @Test
    void severalEntriesOfOneTransactionKeepTheirOrder() {
        long before = log.head();
        UUID user = UUID.randomUUID();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Instant now = Instant.now();
        fx.jdbc.inTransaction(c -> {
            Revocations.session(c, user, a, now);
            Revocations.session(c, user, b, now);
            Revocations.userVersion(c, user, 7, now);
            return null;
        });
        List<Revocation> rows = log.after(before, 100);
        assertThat(rows).extracting(Revocation::kind)
                .containsExactly(Revocation.Kind.SESSION, Revocation.Kind.SESSION, Revocation.Kind.USER_VERSION);
        assertThat(rows.get(0).sessionId()).isEqualTo(a);
        assertThat(rows.get(2).securityVersion()).isEqualTo(7);
        assertThat(log.head()).isEqualTo(rows.get(2).seq());
    }

    @Test
    void positionBeforeAWindowStartsAtItsOldestEntryOrTheHead() {
        Instant now = Instant.now();
        UUID user = UUID.randomUUID();
        fx.jdbc.inTransaction(c -> {
            Revocations.userDeleted(c, user, now.minus(Duration.ofHours(2)));
            return null;
        });
        long old = log.head();
        assertThat(log.positionBefore(now.minus(Duration.ofHours(1)))).as("nothing in the window: the head").isEqualTo(old);
        fx.jdbc.inTransaction(c -> {
            Revocations.userVersion(c, user, 2, now.minus(Duration.ofMinutes(10)));
            return null;
        });
        long inWindow = log.head();
        assertThat(log.positionBefore(now.minus(Duration.ofMinutes(15)))).isEqualTo(inWindow - 1);
        assertThat(log.after(log.positionBefore(now.minus(Duration.ofMinutes(15))), 10)).extracting(Revocation::seq).containsExactly(inWindow);
    }
}
