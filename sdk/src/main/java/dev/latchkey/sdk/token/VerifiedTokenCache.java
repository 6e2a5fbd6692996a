package dev.latchkey.sdk.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Verified tokens by the SHA-256 of the token string, so a repeat verification costs a hash and a map
 * lookup instead of a signature check, and the cache holds no bearer secret. Bounded: past
 * {@code maxEntries} expired entries are swept, and if that is not enough an arbitrary tenth is dropped
 * (they are re-verified on next use). An entry is never returned after its {@code exp} plus the skew.
 */
final class VerifiedTokenCache {
    /** The SHA-256 of a token as four longs: cheap equality, no array kept. */
    record Digest(long a, long b, long c, long d) {
    }

    private static final MessageDigest SHA256_PROTOTYPE;

    static {
        try {
            SHA256_PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int maxEntries;
    private final Map<Digest, VerifiedToken> entries;
    private final ReentrantLock sweepLock = new ReentrantLock();

    VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative");
        }
        this.maxEntries = maxEntries;
        this.entries = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
    }

    Digest keyOf(String token) {
        MessageDigest sha;
        try {
            sha = (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer hash = ByteBuffer.wrap(sha.digest(token.getBytes(StandardCharsets.US_ASCII)));
        return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    /** The cached token, or null. The caller checks its expiry. */
    VerifiedToken get(Digest key) {
        return maxEntries == 0 ? null : entries.get(key);
    }

    void remove(Digest key) {
        entries.remove(key);
    }

    void put(Digest key, VerifiedToken token, Instant now, Duration skew) {
        if (maxEntries == 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            sweep(now, skew);
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key, token);
    }

    int size() {
        return entries.size();
    }

    private void sweep(Instant now, Duration skew) {
        if (!sweepLock.tryLock()) {
            return;
        }
        try {
            entries.values().removeIf(t -> now.isAfter(t.expiresAt().plus(skew)));
            int excess = entries.size() - maxEntries + Math.max(1, maxEntries / 10);
            Iterator<Digest> it = entries.keySet().iterator();
            while (excess-- > 0 && it.hasNext()) {
                it.next();
                it.remove();
            }
        } finally {
            sweepLock.unlock();
        }
    }
}
