package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.identity.ExternalIdentity;
import dev.latchkey.core.identity.IdentityStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** External identities in memory; linking is synchronized (one winner per (provider, subject)). */
public final class MemoryIdentityStore implements IdentityStore {
    private final UserStore users;
    private final List<ExternalIdentity> rows = new ArrayList<>();

    public MemoryIdentityStore(UserStore users) {
        this.users = users;
    }

    @Override
    public synchronized Link link(ExternalIdentity identity) {
        Optional<ExternalIdentity> existing = find(identity.provider(), identity.subject());
        if (existing.isPresent()) {
            return new Link.AlreadyLinked(existing.get().userId());
        }
        if (users.findById(identity.userId()).isEmpty()) {
            return new Link.NoSuchUser();
        }
        rows.add(identity);
        return new Link.Linked(identity);
    }

    @Override
    public synchronized Optional<ExternalIdentity> find(String provider, String subject) {
        return rows.stream().filter(i -> i.provider().equals(provider) && i.subject().equals(subject)).findFirst();
    }

    @Override
    public synchronized List<ExternalIdentity> forUser(UUID userId) {
        return rows.stream().filter(i -> i.userId().equals(userId))
                .sorted(Comparator.comparing(ExternalIdentity::linkedAt).thenComparing(ExternalIdentity::provider)).toList();
    }

    @Override
    public synchronized boolean unlink(UUID userId, String provider, String subject) {
        return rows.removeIf(i -> i.userId().equals(userId) && i.provider().equals(provider) && i.subject().equals(subject));
    }
}
