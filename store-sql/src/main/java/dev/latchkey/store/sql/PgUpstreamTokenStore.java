package dev.latchkey.store.sql;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.identity.UpstreamTokenStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Upstream tokens on PostgreSQL, sealed with the master key (bound to provider and subject). */
public final class PgUpstreamTokenStore implements UpstreamTokenStore {
    private final Jdbc jdbc;
    private final MasterKey key;

    public PgUpstreamTokenStore(Jdbc jdbc, MasterKey key) {
        this.jdbc = jdbc;
        this.key = key;
    }

    private static String context(String provider, String subject) {
        return "upstream-tokens:" + provider + ":" + subject;
    }

    @Override
    public void put(Tokens t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.accessToken());
        if (t.refreshToken() != null) {
            m.put("refresh_token", t.refreshToken());
        }
        byte[] sealed = key.seal(JSONObjectUtils.toJSONString(m).getBytes(StandardCharsets.UTF_8), context(t.provider(), t.subject()));
        jdbc.update("""
                INSERT INTO upstream_tokens (provider, subject, user_id, sealed, expires_at, stored_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (provider, subject) DO UPDATE SET user_id = EXCLUDED.user_id, sealed = EXCLUDED.sealed,
                    expires_at = EXCLUDED.expires_at, stored_at = EXCLUDED.stored_at""",
                t.provider(), t.subject(), t.userId(), sealed, t.accessExpiresAt(), t.storedAt());
    }

    @Override
    public Optional<Tokens> find(String provider, String subject) {
        return jdbc.queryOne("SELECT * FROM upstream_tokens WHERE provider = ? AND subject = ?", rs -> {
            Map<String, Object> m;
            try {
                m = JSONObjectUtils.parse(new String(key.open(rs.getBytes("sealed"), context(provider, subject)), StandardCharsets.UTF_8));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("stored upstream tokens unreadable", e);
            }
            return new Tokens(provider, subject, Jdbc.uuid(rs, "user_id"), (String) m.get("access_token"), (String) m.get("refresh_token"),
                    Jdbc.instant(rs, "expires_at"), Jdbc.instant(rs, "stored_at"));
        }, provider, subject);
    }
}
