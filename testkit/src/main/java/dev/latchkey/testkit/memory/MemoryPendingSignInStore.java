package dev.latchkey.testkit.memory;

import dev.latchkey.core.authn.PendingSignInStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** Second-factor challenges in memory; consuming is synchronized, so one of concurrent uses gets it. */
public final class MemoryPendingSignInStore implements PendingSignInStore {
    private final Map<String, Stored> rows = new HashMap<>();

    @Override
    public synchronized void save(Stored challenge) {
        rows.put(HexFormat.of().formatHex(challenge.idHash()), challenge);
    }

    @Override
    public synchronized Optional<Stored> peek(byte[] idHash, byte[] bindingHash, Instant now) {
        Stored s = rows.get(HexFormat.of().formatHex(idHash));
        return s != null && java.util.Arrays.equals(s.bindingHash(), bindingHash) && s.expiresAt().isAfter(now) ? Optional.of(s) : Optional.empty();
    }

    @Override
    public synchronized Optional<Stored> consume(byte[] idHash, byte[] bindingHash, Instant now) {
        Optional<Stored> s = peek(idHash, bindingHash, now);
        s.ifPresent(x -> rows.remove(HexFormat.of().formatHex(idHash)));
        return s;
    }

    @Override
    public synchronized int purgeExpired(Instant before) {
        int n = rows.size();
        rows.values().removeIf(s -> !s.expiresAt().isAfter(before));
        return n - rows.size();
    }
}
