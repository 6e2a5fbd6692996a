package dev.latchkey.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.id.UuidV7;
import dev.latchkey.core.org.ServiceAccount;
import dev.latchkey.core.org.ServiceAccountStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link ServiceAccountStore} must do. */
public abstract class ServiceAccountStoreContract {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z").truncatedTo(ChronoUnit.MICROS);

    protected abstract ServiceAccountStore accounts();

    /** A new organization's id (PostgreSQL's service accounts reference organizations). */
    protected abstract UUID newOrg();

    /** How many times the account was announced as disabled or deleted (the revocation feed). */
    protected abstract int announcements(UUID accountId);

    private ServiceAccount created(UUID org, String name, List<String> roles) {
        ServiceAccount a = new ServiceAccount(UuidV7.next(), org, name, "does " + name, roles, null, NOW);
        accounts().create(a);
        return a;
    }

    @Test
    void anAccountIsFoundOnlyThroughItsOwnOrganization() {
        UUID org = newOrg();
        UUID other = newOrg();
        ServiceAccount a = created(org, "ci", List.of("viewer", "editor"));
        assertThat(accounts().find(org, a.id())).contains(a);
        assertThat(accounts().find(a.id())).contains(a);
        assertThat(a.roles()).containsExactly("editor", "viewer");
        assertThat(accounts().find(other, a.id())).isEmpty();
        assertThat(accounts().update(other, a.id(), "stolen", null, null, true, NOW)).isEmpty();
        assertThat(accounts().delete(other, a.id(), NOW)).isFalse();
        assertThat(accounts().find(org, a.id())).contains(a);
        assertThat(accounts().list(other, null, 10)).isEmpty();
        assertThat(announcements(a.id())).isZero();
    }

    @Test
    void listingIsPagedByIdWithinTheOrganization() {
        UUID org = newOrg();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(created(org, "sa" + i, List.of()).id());
        }
        created(newOrg(), "elsewhere", List.of());
        // PostgreSQL orders uuid values as unsigned bytes: the order of their text
        ids.sort(java.util.Comparator.comparing(UUID::toString));
        List<ServiceAccount> first = accounts().list(org, null, 3);
        assertThat(first).extracting(ServiceAccount::id).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(accounts().list(org, first.get(2).id(), 3)).extracting(ServiceAccount::id).containsExactlyElementsOf(ids.subList(3, 5));
    }

    @Test
    void anUpdateChangesOnlyWhatItNamesAndADisableIsAnnouncedOnce() {
        UUID org = newOrg();
        ServiceAccount a = created(org, "deployer", List.of("viewer"));
        ServiceAccount renamed = accounts().update(org, a.id(), "deployer-2", null, List.of("editor", "admin"), null, NOW).orElseThrow();
        assertThat(renamed.name()).isEqualTo("deployer-2");
        assertThat(renamed.description()).isEqualTo("does deployer");
        assertThat(renamed.roles()).containsExactly("admin", "editor");
        assertThat(renamed.disabled()).isFalse();

        ServiceAccount disabled = accounts().update(org, a.id(), null, "", null, true, NOW.plusSeconds(1)).orElseThrow();
        assertThat(disabled.disabledAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(disabled.description()).isNull();
        assertThat(accounts().update(org, a.id(), null, null, null, true, NOW.plusSeconds(2)).orElseThrow().disabledAt())
                .as("a second disable keeps the first time").isEqualTo(NOW.plusSeconds(1));
        assertThat(announcements(a.id())).isEqualTo(1);

        assertThat(accounts().update(org, a.id(), null, null, null, false, NOW.plusSeconds(3)).orElseThrow().disabled()).isFalse();
        assertThat(announcements(a.id())).isEqualTo(1);
    }

    @Test
    void twentyConcurrentDisablesAnnounceOnceAndAgreeOnTheTime() throws Exception {
        UUID org = newOrg();
        ServiceAccount a = created(org, "racer", List.of());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Optional<ServiceAccount>>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Instant at = NOW.plusSeconds(i + 1);
                results.add(pool.submit(() -> {
                    start.await();
                    return accounts().update(org, a.id(), null, null, null, true, at);
                }));
            }
            start.countDown();
            List<Instant> times = new ArrayList<>();
            for (Future<Optional<ServiceAccount>> f : results) {
                times.add(f.get().orElseThrow().disabledAt());
            }
            Instant stored = accounts().find(a.id()).orElseThrow().disabledAt();
            assertThat(times).allMatch(stored::equals);
            assertThat(announcements(a.id())).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aDeleteRemovesTheAccountAndIsAnnounced() {
        UUID org = newOrg();
        ServiceAccount a = created(org, "gone", List.of());
        assertThat(accounts().delete(org, a.id(), NOW)).isTrue();
        assertThat(accounts().delete(org, a.id(), NOW)).isFalse();
        assertThat(accounts().find(a.id())).isEmpty();
        assertThat(announcements(a.id())).isEqualTo(1);
    }
}
