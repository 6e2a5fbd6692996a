package dev.latchkey.testkit.memory;

import dev.latchkey.core.credential.totp.TotpCredential;
import dev.latchkey.core.credential.totp.TotpStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Authenticator-app secrets in memory, with the same rules as the PostgreSQL store. */
public final class MemoryTotpStore implements TotpStore {
    private final Map<UUID, TotpCredential> rows = new HashMap<>();

    @Override
    public synchronized void putPending(TotpCredential pending) {
        rows.values().removeIf(c -> c.userId().equals(pending.userId()) && !c.confirmed());
        rows.put(pending.id(), pending);
    }

    @Override
    public synchronized Optional<TotpCredential> find(UUID userId, boolean confirmed) {
        return rows.values().stream().filter(c -> c.userId().equals(userId) && c.confirmed() == confirmed).findFirst();
    }

    @Override
    public synchronized boolean confirm(UUID id, long step, Instant now) {
        TotpCredential c = rows.get(id);
        if (c == null || c.confirmed() || c.lastStep() >= step || find(c.userId(), true).isPresent()) {
            return false;
        }
        rows.put(id, new TotpCredential(c.id(), c.userId(), c.sealedSecret(), c.createdAt(), now, step));
        return true;
    }

    @Override
    public synchronized boolean useStep(UUID id, long step) {
        TotpCredential c = rows.get(id);
        if (c == null || !c.confirmed() || c.lastStep() >= step) {
            return false;
        }
        rows.put(id, new TotpCredential(c.id(), c.userId(), c.sealedSecret(), c.createdAt(), c.confirmedAt(), step));
        return true;
    }

    @Override
    public synchronized boolean remove(UUID userId) {
        boolean had = find(userId, true).isPresent();
        rows.values().removeIf(c -> c.userId().equals(userId));
        return had;
    }
}
