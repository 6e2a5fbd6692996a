package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.credential.passkey.PasskeyCredential;
import dev.latchkey.core.credential.passkey.PasskeyStore;
import dev.latchkey.core.crypto.RandomTokens;
import dev.latchkey.core.id.UuidV7;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link PasskeyStore} must do; each adapter's test extends this. */
public abstract class PasskeyStoreContract {
    protected static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract UserStore users();

    protected abstract PasskeyStore passkeys();

    private PasskeyCredential passkey(User u, long count, Instant at) {
        return new PasskeyCredential(UuidV7.next(), u.id(), RandomTokens.bytes(32), RandomTokens.bytes(77), count, true, true, false,
                List.of("hybrid", "internal"), "Laptop", at, null);
    }

    @Test
    void aPasskeyIsStoredAndFoundByCredentialIdAndUser() {
        User u = Users.create(users(), NOW);
        PasskeyCredential p = passkey(u, 3, NOW);
        assertThat(passkeys().create(p)).isTrue();
        PasskeyCredential got = passkeys().findByCredentialId(p.credentialId()).orElseThrow();
        assertThat(got.id()).isEqualTo(p.id());
        assertThat(got.userId()).isEqualTo(u.id());
        assertThat(got.attestedCredentialData()).isEqualTo(p.attestedCredentialData());
        assertThat(got.signCount()).isEqualTo(3);
        assertThat(got.uvInitialized()).isTrue();
        assertThat(got.backupEligible()).isTrue();
        assertThat(got.backupState()).isFalse();
        assertThat(got.transports()).containsExactly("hybrid", "internal");
        assertThat(got.name()).isEqualTo("Laptop");
        assertThat(got.createdAt()).isEqualTo(NOW);
        assertThat(got.lastUsedAt()).isNull();
        assertThat(passkeys().any(u.id())).isTrue();
        assertThat(passkeys().any(Users.create(users(), NOW).id())).isFalse();
        assertThat(passkeys().findByCredentialId(RandomTokens.bytes(32))).isEmpty();
    }

    @Test
    void aCredentialIdIsRegisteredOnceAcrossAllUsers() {
        User u = Users.create(users(), NOW);
        User w = Users.create(users(), NOW);
        PasskeyCredential p = passkey(u, 0, NOW);
        assertThat(passkeys().create(p)).isTrue();
        PasskeyCredential copy = new PasskeyCredential(UuidV7.next(), w.id(), p.credentialId(), p.attestedCredentialData(), 0, false, false,
                false, List.of(), "Copy", NOW, null);
        assertThat(passkeys().create(copy)).isFalse();
        assertThat(passkeys().forUser(w.id())).isEmpty();
        assertThat(passkeys().findByCredentialId(p.credentialId()).orElseThrow().userId()).isEqualTo(u.id());
    }

    @Test
    void aUsersPasskeysAreListedOldestFirst() {
        User u = Users.create(users(), NOW);
        PasskeyCredential later = passkey(u, 0, NOW.plusSeconds(60));
        PasskeyCredential first = passkey(u, 0, NOW);
        passkeys().create(later);
        passkeys().create(first);
        passkeys().create(passkey(Users.create(users(), NOW), 0, NOW));
        assertThat(passkeys().forUser(u.id())).extracting(PasskeyCredential::id).containsExactly(first.id(), later.id());
    }

    @Test
    void aUseStoresAHigherCounterAndRefusesAnEqualOrLowerOne() {
        User u = Users.create(users(), NOW);
        PasskeyCredential p = passkey(u, 5, NOW);
        passkeys().create(p);
        assertThat(passkeys().recordUse(p.id(), 5, true, true, NOW.plusSeconds(1))).isFalse();
        assertThat(passkeys().recordUse(p.id(), 4, true, true, NOW.plusSeconds(1))).isFalse();
        assertThat(passkeys().findByCredentialId(p.credentialId()).orElseThrow().lastUsedAt()).isNull();
        assertThat(passkeys().recordUse(p.id(), 6, true, true, NOW.plusSeconds(2))).isTrue();
        PasskeyCredential got = passkeys().findByCredentialId(p.credentialId()).orElseThrow();
        assertThat(got.signCount()).isEqualTo(6);
        assertThat(got.backupState()).isTrue();
        assertThat(got.lastUsedAt()).isEqualTo(NOW.plusSeconds(2));
        assertThat(passkeys().recordUse(p.id(), 0, true, true, NOW.plusSeconds(3))).isFalse();
    }

    @Test
    void aCounterlessAuthenticatorStaysAtZero() {
        User u = Users.create(users(), NOW);
        PasskeyCredential p = passkey(u, 0, NOW);
        passkeys().create(p);
        assertThat(passkeys().recordUse(p.id(), 0, false, true, NOW.plusSeconds(1))).isTrue();
        assertThat(passkeys().recordUse(p.id(), 0, false, true, NOW.plusSeconds(2))).isTrue();
        assertThat(passkeys().findByCredentialId(p.credentialId()).orElseThrow().lastUsedAt()).isEqualTo(NOW.plusSeconds(2));
    }

    @Test
    void ofConcurrentUsesWithTheSameCounterExactlyOneIsRecorded() throws Exception {
        User u = Users.create(users(), NOW);
        PasskeyCredential p = passkey(u, 1, NOW);
        passkeys().create(p);
        int n = 20;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return passkeys().recordUse(p.id(), 2, false, true, NOW.plusSeconds(1));
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void renameAndDeleteTouchOnlyTheUsersOwnPasskey() {
        User u = Users.create(users(), NOW);
        User w = Users.create(users(), NOW);
        PasskeyCredential p = passkey(u, 0, NOW);
        passkeys().create(p);
        assertThat(passkeys().rename(w.id(), p.id(), "Stolen")).isFalse();
        assertThat(passkeys().delete(w.id(), p.id())).isFalse();
        assertThat(passkeys().rename(u.id(), p.id(), "Phone")).isTrue();
        assertThat(passkeys().forUser(u.id()).get(0).name()).isEqualTo("Phone");
        assertThat(passkeys().delete(u.id(), p.id())).isTrue();
        assertThat(passkeys().delete(u.id(), p.id())).isFalse();
        assertThat(passkeys().forUser(u.id())).isEmpty();
        assertThat(passkeys().any(u.id())).isFalse();
    }
}
