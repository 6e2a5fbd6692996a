package dev.latchkey.testkit.memory;

import dev.latchkey.core.identity.UpstreamFlow;
import dev.latchkey.core.identity.UpstreamFlowStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Upstream flows in memory: a consume is one atomic conditional remove. */
public final class MemoryUpstreamFlowStore implements UpstreamFlowStore {
    private final ConcurrentHashMap<String, UpstreamFlow> flows = new ConcurrentHashMap<>();

    @Override
    public void save(UpstreamFlow flow) {
        if (flows.putIfAbsent(flow.state(), flow) != null) {
            throw new IllegalStateException("duplicate state");
        }
    }

    @Override
    public Optional<UpstreamFlow> consume(String state, String binding) {
        UpstreamFlow f = flows.get(state);
        if (f == null || !f.binding().equals(binding)) {
            return Optional.empty();
        }
        return flows.remove(state, f) ? Optional.of(f) : Optional.empty();
    }

    @Override
    public int purgeExpired(Instant now) {
        int before = flows.size();
        flows.values().removeIf(f -> f.expiresAt().isBefore(now));
        return before - flows.size();
    }
}
