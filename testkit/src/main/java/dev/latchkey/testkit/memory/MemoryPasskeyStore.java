package dev.latchkey.testkit.memory;

import dev.latchkey.core.credential.passkey.PasskeyCredential;
import dev.latchkey.core.credential.passkey.PasskeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Passkeys in memory; every method is synchronized, so a use's counter check and write are one step. */
public final class MemoryPasskeyStore implements PasskeyStore {
    private final Map<UUID, PasskeyCredential> rows = new LinkedHashMap<>();

    @Override
    public synchronized boolean create(PasskeyCredential c) {
        if (rows.values().stream().anyMatch(r -> Arrays.equals(r.credentialId(), c.credentialId()))) {
            return false;
        }
        rows.put(c.id(), c);
        return true;
    }

    @Override
    public synchronized List<PasskeyCredential> forUser(UUID userId) {
        List<PasskeyCredential> out = new ArrayList<>(rows.values().stream().filter(r -> r.userId().equals(userId)).toList());
        out.sort(Comparator.comparing(PasskeyCredential::createdAt).thenComparing(PasskeyCredential::id));
        return out;
    }

    @Override
    public synchronized Optional<PasskeyCredential> findByCredentialId(byte[] credentialId) {
        return rows.values().stream().filter(r -> Arrays.equals(r.credentialId(), credentialId)).findFirst();
    }

    @Override
    public synchronized boolean any(UUID userId) {
        return rows.values().stream().anyMatch(r -> r.userId().equals(userId));
    }

    @Override
    public synchronized boolean recordUse(UUID id, long signCount, boolean backupState, boolean uvInitialized, Instant now) {
        PasskeyCredential c = rows.get(id);
        if (c == null || !(c.signCount() < signCount || (c.signCount() == 0 && signCount == 0))) {
            return false;
        }
        rows.put(id, new PasskeyCredential(c.id(), c.userId(), c.credentialId(), c.attestedCredentialData(), signCount, uvInitialized,
                c.backupEligible(), backupState, c.transports(), c.name(), c.createdAt(), now));
        return true;
    }

    @Override
    public synchronized boolean rename(UUID userId, UUID id, String name) {
        PasskeyCredential c = rows.get(id);
        if (c == null || !c.userId().equals(userId)) {
            return false;
        }
        rows.put(id, new PasskeyCredential(c.id(), c.userId(), c.credentialId(), c.attestedCredentialData(), c.signCount(), c.uvInitialized(),
                c.backupEligible(), c.backupState(), c.transports(), name, c.createdAt(), c.lastUsedAt()));
        return true;
    }

    @Override
    public synchronized boolean delete(UUID userId, UUID id) {
        PasskeyCredential c = rows.get(id);
        if (c == null || !c.userId().equals(userId)) {
            return false;
        }
        rows.remove(id);
        return true;
    }
}
