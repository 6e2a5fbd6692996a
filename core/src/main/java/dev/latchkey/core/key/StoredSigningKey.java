package dev.latchkey.core.key;

import java.time.Instant;
import java.util.Objects;

/**
 * A signing key as stored: the public JWK in clear, the private key sealed with the master key
 * (bound to the kid). A key is published from creation until {@code retiresAt}, and signs from
 * {@code activatesAt} until a newer key activates.
 */
public record StoredSigningKey(
        String kid,
        String algorithm,
        String publicJwk,
        byte[] sealedPrivateKey,
        Instant createdAt,
        Instant activatesAt,
        Instant retiresAt) {

    public StoredSigningKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(publicJwk, "publicJwk");
        Objects.requireNonNull(sealedPrivateKey, "sealedPrivateKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(activatesAt, "activatesAt");
    }

    public boolean publishedAt(Instant now) {
        return retiresAt == null || retiresAt.isAfter(now);
    }
}
