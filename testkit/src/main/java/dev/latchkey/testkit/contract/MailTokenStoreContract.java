package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.mail.MailPurpose;
import dev.latchkey.core.mail.MailToken;
import dev.latchkey.core.mail.MailTokenStore;
import dev.latchkey.core.mail.MailTokenStore.Reason;
import dev.latchkey.core.mail.MailTokenStore.Redemption;
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

/** What every {@link MailTokenStore} must do; each adapter's test extends this. */
public abstract class MailTokenStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    /** The store under test and the user store it checks security versions against (the same database). */
    protected abstract UserStore users();

    protected abstract MailTokenStore tokens();

    private MailToken token(User u, MailPurpose purpose, String value, String binding, String code) {
        MailToken t = new MailToken(UuidV7.next(), Digests.sha256(value), purpose, u.id(), u.securityVersion(), u.email().value(),
                binding == null ? null : Digests.sha256(binding), code == null ? null : Digests.sha256(binding + ":" + code), "/next",
                NOW, NOW.plus(Duration.ofMinutes(15)));
        tokens().create(t);
        return t;
    }

    @Test
    void aTokenIsRedeemedOnceThenRefusedAsUsed() {
        User u = Users.create(users(), NOW);
        String v = RandomTokens.token();
        MailToken t = token(u, MailPurpose.SIGN_IN, v, null, null);
        Redemption r = tokens().redeem(Digests.sha256(v), MailPurpose.SIGN_IN, NOW.plusSeconds(1));
        assertThat(r).isInstanceOf(Redemption.Redeemed.class);
        MailToken got = ((Redemption.Redeemed) r).token();
        assertThat(got.id()).isEqualTo(t.id());
        assertThat(got.userId()).isEqualTo(u.id());
        assertThat(got.payload()).isEqualTo("/next");
        assertThat(tokens().redeem(Digests.sha256(v), MailPurpose.SIGN_IN, NOW.plusSeconds(2))).isEqualTo(new Redemption.Refused(Reason.USED));
    }

    @Test
    void unknownWrongPurposeAndExpiredTokensAreRefusedAndNothingIsSpent() {
        User u = Users.create(users(), NOW);
        String v = RandomTokens.token();
        token(u, MailPurpose.RESET_PASSWORD, v, null, null);
        assertThat(tokens().redeem(Digests.sha256("nope"), MailPurpose.RESET_PASSWORD, NOW)).isEqualTo(new Redemption.Refused(Reason.NOT_FOUND));
        assertThat(tokens().redeem(Digests.sha256(v), MailPurpose.SIGN_IN, NOW)).isEqualTo(new Redemption.Refused(Reason.WRONG_PURPOSE));
        assertThat(tokens().redeem(Digests.sha256(v), MailPurpose.RESET_PASSWORD, NOW.plus(Duration.ofMinutes(15))))
                .isEqualTo(new Redemption.Refused(Reason.EXPIRED));
        // none of the refusals spent it
        assertThat(tokens().peek(Digests.sha256(v), MailPurpose.RESET_PASSWORD, NOW)).isPresent();
        assertThat(tokens().redeem(Digests.sha256(v), MailPurpose.RESET_PASSWORD, NOW)).isInstanceOf(Redemption.Redeemed.class);
    }

    @Test
    void aPasswordChangeOrADisabledAccountKillsOutstandingTokens() {
        User u = Users.create(users(), NOW);
        String v = RandomTokens.token();
        token(u, MailPurpose.RESET_PASSWORD, v, null, null);
        users().changePassword(u.id(), "new-hash", NOW);
        assertThat(tokens().peek(Digests.sha256(v), MailPurpose.RESET_PASSWORD, NOW)).isEmpty();
        assertThat(tokens().redeem(Digests.sha256(v), MailPurpose.RESET_PASSWORD, NOW)).isEqualTo(new Redemption.Refused(Reason.STALE));

        User w = Users.create(users(), NOW);
        String x = RandomTokens.token();
        token(w, MailPurpose.SIGN_IN, x, null, null);
        users().setStatus(w.id(), UserStatus.DISABLED, NOW);
        assertThat(tokens().redeem(Digests.sha256(x), MailPurpose.SIGN_IN, NOW)).isEqualTo(new Redemption.Refused(Reason.STALE));
    }

    @Test
    void peekChangesNothing() {
        User u = Users.create(users(), NOW);
        String v = RandomTokens.token();
        token(u, MailPurpose.VERIFY_EMAIL, v, null, null);
        assertThat(tokens().peek(Digests.sha256(v), MailPurpose.VERIFY_EMAIL, NOW)).isPresent();
        assertThat(tokens().peek(Digests.sha256(v), MailPurpose.SIGN_IN, NOW)).isEmpty();
        assertThat(tokens().peek(Digests.sha256(v), MailPurpose.VERIFY_EMAIL, NOW)).isPresent();
    }

    @Test
    void aCodeWorksOnlyWithItsBindingAndDiesAfterTooManyWrongTries() {
        User u = Users.create(users(), NOW);
        String binding = RandomTokens.token();
        String link = RandomTokens.token();
        token(u, MailPurpose.SIGN_IN, link, binding, "123456");
        byte[] b = Digests.sha256(binding);
        // the right code on another browser finds nothing
        assertThat(tokens().redeemCode(Digests.sha256("other"), Digests.sha256("other:123456"), MailPurpose.SIGN_IN, NOW, 5))
                .isEqualTo(new Redemption.Refused(Reason.NOT_FOUND));
        for (int i = 0; i < 5; i++) {
            assertThat(tokens().redeemCode(b, Digests.sha256(binding + ":00000" + i), MailPurpose.SIGN_IN, NOW, 5))
                    .isEqualTo(new Redemption.Refused(Reason.WRONG_CODE));
        }
        assertThat(tokens().redeemCode(b, Digests.sha256(binding + ":123456"), MailPurpose.SIGN_IN, NOW, 5))
                .isEqualTo(new Redemption.Refused(Reason.TOO_MANY_ATTEMPTS));
    }

    @Test
    void theRightCodeRedeemsTheTokenAndTheLinkIsThenUsed() {
        User u = Users.create(users(), NOW);
        String binding = RandomTokens.token();
        String link = RandomTokens.token();
        token(u, MailPurpose.SIGN_IN, link, binding, "654321");
        byte[] b = Digests.sha256(binding);
        assertThat(tokens().redeemCode(b, Digests.sha256(binding + ":111111"), MailPurpose.SIGN_IN, NOW, 5))
                .isEqualTo(new Redemption.Refused(Reason.WRONG_CODE));
        assertThat(tokens().redeemCode(b, Digests.sha256(binding + ":654321"), MailPurpose.SIGN_IN, NOW, 5))
                .isInstanceOf(Redemption.Redeemed.class);
        assertThat(tokens().redeem(Digests.sha256(link), MailPurpose.SIGN_IN, NOW)).isEqualTo(new Redemption.Refused(Reason.USED));
    }

    @Test
    void twentyConcurrentRedemptionsOfOneTokenHaveExactlyOneWinner() throws Exception {
        User u = Users.create(users(), NOW);
        String v = RandomTokens.token();
        token(u, MailPurpose.SIGN_IN, v, null, null);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Redemption>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens().redeem(Digests.sha256(v), MailPurpose.SIGN_IN, NOW);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Redemption> f : results) {
                Redemption r = f.get();
                if (r instanceof Redemption.Redeemed) {
                    won++;
                } else {
                    assertThat(r).isEqualTo(new Redemption.Refused(Reason.USED));
                }
            }
            assertThat(won).isEqualTo(1);
        }
    }
}
