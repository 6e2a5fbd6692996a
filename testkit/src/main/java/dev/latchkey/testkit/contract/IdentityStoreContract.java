package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.identity.ExternalIdentity;
import dev.latchkey.core.identity.IdentityStore;
import dev.latchkey.core.identity.IdentityStore.Link;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link IdentityStore} must do. */
public abstract class IdentityStoreContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    protected abstract IdentityStore identities();

    @Test
    void aLinkIsFoundByProviderAndSubjectAndListedForItsUser() {
        User u = Users.create(users(), NOW);
        String sub = UUID.randomUUID().toString();
        ExternalIdentity i = new ExternalIdentity("https://accounts.example.test", sub, u.id(), "u@example.test", NOW);
        assertThat(identities().link(i)).isEqualTo(new Link.Linked(i));
        assertThat(identities().find("https://accounts.example.test", sub)).contains(i);
        assertThat(identities().find("https://other.example.test", sub)).isEmpty();
        assertThat(identities().forUser(u.id())).containsExactly(i);
    }

    @Test
    void aSubjectLinksToOneUserOnly() {
        User a = Users.create(users(), NOW);
        User b = Users.create(users(), NOW);
        String sub = UUID.randomUUID().toString();
        identities().link(new ExternalIdentity("github", sub, a.id(), null, NOW));
        assertThat(identities().link(new ExternalIdentity("github", sub, b.id(), null, NOW))).isEqualTo(new Link.AlreadyLinked(a.id()));
        assertThat(identities().link(new ExternalIdentity("github", sub, a.id(), null, NOW))).isEqualTo(new Link.AlreadyLinked(a.id()));
        assertThat(identities().forUser(b.id())).isEmpty();
    }

    @Test
    void linkingToAMissingUserIsRefused() {
        assertThat(identities().link(new ExternalIdentity("github", UUID.randomUUID().toString(), UUID.randomUUID(), null, NOW)))
                .isEqualTo(new Link.NoSuchUser());
    }

    @Test
    void unlinkRemovesOnlyTheUsersOwnLink() {
        User a = Users.create(users(), NOW);
        User b = Users.create(users(), NOW);
        String sub = UUID.randomUUID().toString();
        identities().link(new ExternalIdentity("google", sub, a.id(), null, NOW));
        assertThat(identities().unlink(b.id(), "google", sub)).isFalse();
        assertThat(identities().unlink(a.id(), "google", sub)).isTrue();
        assertThat(identities().find("google", sub)).isEmpty();
    }

    @Test
    void concurrentLinksOfOneSubjectHaveOneWinner() throws Exception {
        List<User> us = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            us.add(Users.create(users(), NOW));
        }
        String sub = UUID.randomUUID().toString();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Link>> fs = new ArrayList<>();
            for (User u : us) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return identities().link(new ExternalIdentity("okta", sub, u.id(), null, NOW));
                }));
            }
            go.countDown();
            int linked = 0;
            for (Future<Link> f : fs) {
                if (f.get() instanceof Link.Linked) {
                    linked++;
                }
            }
            assertThat(linked).isEqualTo(1);
        }
    }
}
