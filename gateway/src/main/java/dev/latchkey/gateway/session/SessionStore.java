package dev.latchkey.gateway.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.store.sql.Jdbc;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Gateway sessions in PostgreSQL with an in-process Caffeine cache in front (evicted on every change made by
 * this node; entries of other nodes' changes live at most {@code cacheTtl}). Token refreshes are conditional
 * updates on {@code generation}.
 */
public final class SessionStore {
    private final Jdbc jdbc;
    private final SessionCodec codec;
    private final Cache<ByteBuffer, GatewaySession> cache;

    public SessionStore(Jdbc jdbc, MasterKey sessionKey, Duration cacheTtl, long cacheSize) {
        this.jdbc = jdbc;
        this.codec = new SessionCodec(sessionKey);
        this.cache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(cacheSize).build();
    }

    public void create(GatewaySession s) {
        jdbc.update("INSERT INTO gateway_sessions (id_hash, subject, sealed, generation, access_expires_at, created_at, last_seen_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.idHash(), s.user().sub(), codec.seal(s.idHash(), s.user(), s.tokens()),
                s.generation(), Jdbc.micros(s.tokens().accessExpiresAt()), Jdbc.micros(s.createdAt()), Jdbc.micros(s.lastSeenAt()),
                Jdbc.micros(s.expiresAt()));
        cache.put(ByteBuffer.wrap(s.idHash()), s);
    }

    /** The session from the cache, else from the database (and cached). */
    public Optional<GatewaySession> find(byte[] idHash) {
        ByteBuffer k = ByteBuffer.wrap(idHash);
        GatewaySession hit = cache.getIfPresent(k);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<GatewaySession> s = jdbc.queryOne(SELECT, rs -> row(rs, idHash), (Object) idHash);
        s.ifPresent(v -> cache.put(k, v));
        return s;
    }

    private static final String SELECT = "SELECT generation, sealed, created_at, last_seen_at, expires_at FROM gateway_sessions WHERE id_hash = ?";

    private GatewaySession row(ResultSet rs, byte[] idHash) throws SQLException {
        SessionCodec.Opened o = codec.open(idHash, rs.getBytes("sealed"));
        return new GatewaySession(idHash, o.user(), o.tokens(), rs.getLong("generation"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "last_seen_at"), Jdbc.instant(rs, "expires_at"));
    }

    /** The session as stored now, bypassing (and refreshing) this node's cache. */
    public Optional<GatewaySession> findFresh(byte[] idHash) {
        ByteBuffer k = ByteBuffer.wrap(idHash);
        Optional<GatewaySession> s = jdbc.queryOne(SELECT, rs -> row(rs, idHash), (Object) idHash);
        s.ifPresentOrElse(v -> cache.put(k, v), () -> cache.invalidate(k));
        return s;
    }

    /**
     * Stores refreshed tokens if the session is still at {@code expectedGeneration} (one conditional UPDATE);
     * returns the new session, or empty if it was deleted or another refresh won.
     */
    public Optional<GatewaySession> replaceTokens(GatewaySession s, UserClaims user, SessionTokens tokens) {
        long next = s.generation() + 1;
        int n = jdbc.update("UPDATE gateway_sessions SET sealed = ?, generation = ?, access_expires_at = ? WHERE id_hash = ? AND generation = ?",
                codec.seal(s.idHash(), user, tokens), next, Jdbc.micros(tokens.accessExpiresAt()), s.idHash(), s.generation());
        if (n != 1) {
            cache.invalidate(ByteBuffer.wrap(s.idHash()));
            return Optional.empty();
        }
        GatewaySession updated = new GatewaySession(s.idHash(), user, tokens, next, s.createdAt(), s.lastSeenAt(), s.expiresAt());
        cache.put(ByteBuffer.wrap(s.idHash()), updated);
        return Optional.of(updated);
    }

    /** Slides the idle timeout: writes {@code now} as last seen (only forward). */
    public GatewaySession touch(GatewaySession s, Instant now) {
        jdbc.update("UPDATE gateway_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?", Jdbc.micros(now), s.idHash(), Jdbc.micros(now));
        GatewaySession t = new GatewaySession(s.idHash(), s.user(), s.tokens(), s.generation(), s.createdAt(), now, s.expiresAt());
        cache.asMap().computeIfPresent(ByteBuffer.wrap(s.idHash()), (k, old) -> old.generation() == s.generation() ? t : old);
        return t;
    }

    /** Deletes the session; true if it existed. */
    public boolean delete(byte[] idHash) {
        cache.invalidate(ByteBuffer.wrap(idHash));
        return jdbc.update("DELETE FROM gateway_sessions WHERE id_hash = ?", (Object) idHash) == 1;
    }

    /** Forgets this node's copy (e.g. after another node may have changed it). */
    public void evict(byte[] idHash) {
        cache.invalidate(ByteBuffer.wrap(idHash));
    }

    /** Deletes sessions past their absolute or idle timeout; returns how many. */
    public int deleteExpired(Instant now, Duration idle) {
        int n = jdbc.update("DELETE FROM gateway_sessions WHERE expires_at <= ? OR last_seen_at <= ?", Jdbc.micros(now), Jdbc.micros(now.minus(idle)));
        return n;
    }

    /** The id hashes of every session of a user (for revocation by subject). */
    public List<byte[]> idHashesOf(String subject) {
        return jdbc.query("SELECT id_hash FROM gateway_sessions WHERE subject = ?", rs -> rs.getBytes(1), subject);
    }

    public long cachedCount() {
        return cache.estimatedSize();
    }

    /** Runs work on one pooled connection (for tests and the benchmark). */
    public <T> T withConnection(Jdbc.TxWork<T> work) {
        return jdbc.withConnection(work);
    }

}
