package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The profile and e-mail transitions every {@link UserStore} must make. */
public abstract class UserProfileContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    @Test
    void aNameChangeIsNotASecurityEvent() {
        User u = Users.create(users(), NOW);
        assertThat(users().updateName(u.id(), "Ada Lovelace", NOW.plusSeconds(1))).isTrue();
        User after = users().findById(u.id()).orElseThrow();
        assertThat(after.name()).isEqualTo("Ada Lovelace");
        assertThat(after.securityVersion()).isEqualTo(u.securityVersion());
        assertThat(users().updateName(u.id(), null, NOW)).isTrue();
        assertThat(users().findById(u.id()).orElseThrow().name()).isNull();
        assertThat(users().updateName(UUID.randomUUID(), "x", NOW)).isFalse();
    }

    @Test
    void verificationCountsOnlyForTheAddressItWasSentTo() {
        User u = Users.create(users(), NOW);
        assertThat(users().markEmailVerified(u.id(), EmailAddress.parse("other-" + UUID.randomUUID() + "@example.test"), NOW)).isFalse();
        assertThat(users().findById(u.id()).orElseThrow().emailVerified()).isFalse();
        assertThat(users().markEmailVerified(u.id(), u.email(), NOW)).isTrue();
        assertThat(users().findById(u.id()).orElseThrow().emailVerified()).isTrue();
        assertThat(users().markEmailVerified(u.id(), u.email(), NOW)).as("already verified: no change").isFalse();
    }

    @Test
    void anEmailChangeBumpsTheVersionAndIsRefusedWhenTakenOrStale() {
        User u = Users.create(users(), NOW);
        User other = Users.create(users(), NOW);
        EmailAddress fresh = EmailAddress.parse("new-" + UUID.randomUUID() + "@example.test");
        assertThat(users().changeEmail(u.id(), other.email(), u.securityVersion(), NOW)).isEqualTo(UserStore.EmailChange.TAKEN);
        assertThat(users().changeEmail(u.id(), fresh, u.securityVersion() + 5, NOW)).isEqualTo(UserStore.EmailChange.STALE);
        assertThat(users().changeEmail(u.id(), fresh, u.securityVersion(), NOW)).isEqualTo(UserStore.EmailChange.CHANGED);
        User after = users().findById(u.id()).orElseThrow();
        assertThat(after.email()).isEqualTo(fresh);
        assertThat(after.emailVerified()).isTrue();
        assertThat(after.securityVersion()).isEqualTo(u.securityVersion() + 1);
        assertThat(users().findByEmail(u.email())).isEmpty();
        assertThat(users().changeEmail(u.id(), EmailAddress.parse("again-" + UUID.randomUUID() + "@example.test"), u.securityVersion(), NOW))
                .as("a confirmation issued before the change is stale").isEqualTo(UserStore.EmailChange.STALE);
    }
}
