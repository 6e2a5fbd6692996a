package dev.latchkey.store.sql;

import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.identity.UpstreamFlow;
import dev.latchkey.core.identity.UpstreamFlowStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Upstream flows on PostgreSQL: hashes of state and binding, the verifier sealed; taken by one DELETE … RETURNING. */
public final class PgUpstreamFlowStore implements UpstreamFlowStore {
    private static final String CONTEXT = "upstream-flow";
    private final Jdbc jdbc;
    private final MasterKey key;

    public PgUpstreamFlowStore(Jdbc jdbc, MasterKey key) {
        this.jdbc = jdbc;
        this.key = key;
    }

    @Override
    public void save(UpstreamFlow f) {
        jdbc.update("""
                INSERT INTO upstream_flows (state_hash, binding_hash, provider, nonce, code_verifier, purpose, user_id, return_to,
                                            created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                Digests.sha256(f.state()), Digests.sha256(f.binding()), f.provider(), f.nonce(),
                key.seal(f.codeVerifier().getBytes(StandardCharsets.UTF_8), CONTEXT), f.purpose(), f.userId(), f.returnTo(), f.createdAt(),
                f.expiresAt());
    }

    @Override
    public Optional<UpstreamFlow> consume(String state, String binding) {
        List<UpstreamFlow> r = jdbc.query("DELETE FROM upstream_flows WHERE state_hash = ? AND binding_hash = ? RETURNING *",
                rs -> new UpstreamFlow(state, binding, rs.getString("provider"), rs.getString("nonce"),
                        new String(key.open(rs.getBytes("code_verifier"), CONTEXT), StandardCharsets.UTF_8),
                        UpstreamFlow.Purpose.valueOf(rs.getString("purpose").toUpperCase(Locale.ROOT)), Jdbc.uuid(rs, "user_id"),
                        rs.getString("return_to"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "expires_at")),
                Digests.sha256(state), Digests.sha256(binding));
        return r.stream().findFirst();
    }

    @Override
    public int purgeExpired(Instant now) {
        return jdbc.update("DELETE FROM upstream_flows WHERE expires_at < ?", now);
    }
}
