package dev.latchkey.core.key;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Signing keys in a list, with the port's per-algorithm rotation rule, for unit tests (PostgreSQL's is tested in store-sql). */
public final class MemorySigningKeyStore implements SigningKeyStore {
    private final List<StoredSigningKey> keys = new ArrayList<>();

    @Override
    public synchronized List<StoredSigningKey> published(Instant now) {
        return keys.stream().filter(k -> k.publishedAt(now)).sorted(Comparator.comparing(StoredSigningKey::activatesAt)).toList();
    }

    @Override
    public synchronized List<StoredSigningKey> all() {
        return keys.stream().sorted(Comparator.comparing(StoredSigningKey::createdAt).reversed()).toList();
    }

    @Override
    public synchronized boolean rotateIfDue(StoredSigningKey next, Instant dueBefore, Instant retireOthersAt) {
        List<StoredSigningKey> same = keys.stream().filter(k -> k.algorithm().equals(next.algorithm()) && k.publishedAt(next.createdAt())).toList();
        if (Instant.MIN.equals(dueBefore) ? !same.isEmpty()
                : !Instant.MAX.equals(dueBefore) && same.stream().anyMatch(k -> !k.createdAt().isBefore(dueBefore))) {
            return false;
        }
        for (StoredSigningKey k : same) {
            if (k.retiresAt() == null || k.retiresAt().isAfter(retireOthersAt)) {
                keys.set(keys.indexOf(k), new StoredSigningKey(k.kid(), k.algorithm(), k.publicJwk(), k.sealedPrivateKey(), k.createdAt(),
                        k.activatesAt(), retireOthersAt));
            }
        }
        keys.add(next);
        return true;
    }

    @Override
    public synchronized boolean retire(String kid, Instant at) {
        for (StoredSigningKey k : keys) {
            if (k.kid().equals(kid) && k.publishedAt(at)) {
                keys.set(keys.indexOf(k), new StoredSigningKey(k.kid(), k.algorithm(), k.publicJwk(), k.sealedPrivateKey(), k.createdAt(),
                        k.activatesAt(), at));
                return true;
            }
        }
        return false;
    }
}
