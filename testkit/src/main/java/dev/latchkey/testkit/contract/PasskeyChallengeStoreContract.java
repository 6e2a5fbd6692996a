package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.credential.passkey.PasskeyChallenge;
import dev.latchkey.core.credential.passkey.PasskeyChallenge.Purpose;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore.Consumption;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore.Reason;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.id.UuidV7;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link PasskeyChallengeStore} must do; each adapter's test extends this. */
public abstract class PasskeyChallengeStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    protected abstract PasskeyChallengeStore challenges();

    private final byte[] browser = Digests.sha256(RandomTokens.token());

    private PasskeyChallenge issue(Purpose purpose, User u) {
        PasskeyChallenge c = new PasskeyChallenge(UuidV7.next(), Digests.sha256(RandomTokens.bytes(32)), purpose, u == null ? null : u.id(),
                browser, NOW, NOW.plus(Duration.ofMinutes(5)));
        challenges().issue(c);
        return c;
    }

    @Test
    void aChallengeIsConsumedOnceByTheBrowserItWasIssuedTo() {
        User u = Users.create(users(), NOW);
        PasskeyChallenge c = issue(Purpose.REGISTER, u);
        Consumption first = challenges().consume(c.challengeHash(), browser, Purpose.REGISTER, NOW.plusSeconds(1));
        assertThat(first).isInstanceOf(Consumption.Consumed.class);
        PasskeyChallenge got = ((Consumption.Consumed) first).challenge();
        assertThat(got.id()).isEqualTo(c.id());
        assertThat(got.userId()).isEqualTo(u.id());
        assertThat(got.purpose()).isEqualTo(Purpose.REGISTER);
        assertThat(challenges().consume(c.challengeHash(), browser, Purpose.REGISTER, NOW.plusSeconds(2)))
                .isEqualTo(new Consumption.Refused(Reason.USED));
    }

    @Test
    void anotherBrowserAnotherPurposeAnUnknownOrAnExpiredChallengeIsRefusedAndNothingIsSpent() {
        PasskeyChallenge c = issue(Purpose.SIGN_IN, null);
        assertThat(challenges().consume(c.challengeHash(), Digests.sha256("other browser"), Purpose.SIGN_IN, NOW))
                .isEqualTo(new Consumption.Refused(Reason.OTHER_BROWSER));
        assertThat(challenges().consume(c.challengeHash(), browser, Purpose.SECOND_FACTOR, NOW))
                .isEqualTo(new Consumption.Refused(Reason.WRONG_PURPOSE));
        assertThat(challenges().consume(Digests.sha256("nope"), browser, Purpose.SIGN_IN, NOW))
                .isEqualTo(new Consumption.Refused(Reason.NOT_FOUND));
        assertThat(challenges().consume(c.challengeHash(), browser, Purpose.SIGN_IN, NOW.plus(Duration.ofMinutes(5))))
                .isEqualTo(new Consumption.Refused(Reason.EXPIRED));
        assertThat(challenges().consume(c.challengeHash(), browser, Purpose.SIGN_IN, NOW.plusSeconds(299)))
                .isInstanceOf(Consumption.Consumed.class);
    }

    @Test
    void ofTwentyConcurrentConsumptionsExactlyOneWins() throws Exception {
        PasskeyChallenge c = issue(Purpose.SIGN_IN, null);
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Consumption>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return challenges().consume(c.challengeHash(), browser, Purpose.SIGN_IN, NOW.plusSeconds(1));
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Consumption> f : results) {
                Consumption r = f.get();
                if (r instanceof Consumption.Consumed) {
                    won++;
                } else {
                    assertThat(r).isEqualTo(new Consumption.Refused(Reason.USED));
                }
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredChallengesArePurged() {
        PasskeyChallenge c = issue(Purpose.SIGN_IN, null);
        assertThat(challenges().purgeExpired(NOW.plus(Duration.ofMinutes(6)))).isGreaterThanOrEqualTo(1);
        assertThat(challenges().consume(c.challengeHash(), browser, Purpose.SIGN_IN, NOW)).isEqualTo(new Consumption.Refused(Reason.NOT_FOUND));
    }
}
