package dev.latchkey.testkit.memory;

import dev.latchkey.core.credential.recovery.RecoveryCodeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Recovery-code hashes in memory; redemptions are synchronized, so one of concurrent uses wins. */
public final class MemoryRecoveryCodeStore implements RecoveryCodeStore {
    /** user → (hex hash → used at, or null). */
    private final Map<UUID, Map<String, Instant>> rows = new HashMap<>();

    @Override
    public synchronized void replace(UUID userId, List<byte[]> hashes, Instant now) {
        Map<String, Instant> codes = new HashMap<>();
        hashes.forEach(h -> codes.put(HexFormat.of().formatHex(h), null));
        rows.put(userId, codes);
    }

    @Override
    public synchronized boolean redeem(UUID userId, byte[] hash, Instant now) {
        Map<String, Instant> codes = rows.get(userId);
        String key = HexFormat.of().formatHex(hash);
        if (codes == null || !codes.containsKey(key) || codes.get(key) != null) {
            return false;
        }
        codes.put(key, now);
        return true;
    }

    @Override
    public synchronized int remaining(UUID userId) {
        return (int) new ArrayList<>(rows.getOrDefault(userId, Map.of()).values()).stream().filter(v -> v == null).count();
    }

    @Override
    public synchronized void removeAll(UUID userId) {
        rows.remove(userId);
    }
}
