package dev.latchkey.gateway.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.store.sql.Jdbc;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The gateway's ES256 key(s) for the Latchkey-Assertion header: created once per database (under an advisory lock,
 * so nodes starting together agree on one key), private parts sealed with the session key. Every node signs with
 * the newest and publishes all of them.
 */
public final class SigningKeys {
    private static final int LOCK_CLASS = 0x4C4B474B;     // 'LKGK'

    private final List<ECKey> keys;

    private SigningKeys(List<ECKey> keys) {
        this.keys = List.copyOf(keys);
    }

    public static SigningKeys loadOrCreate(Jdbc jdbc, MasterKey key) {
        List<ECKey> keys = jdbc.inTransaction(c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?, ?)", rs -> 1, LOCK_CLASS, 0);
            List<ECKey> found = Jdbc.query(c, "SELECT kid, sealed_jwk FROM gateway_signing_keys ORDER BY created_at DESC",
                    rs -> parse(key.open(rs.getBytes(2), "gateway-key:" + rs.getString(1))));
            if (!found.isEmpty()) {
                return found;
            }
            ECKey k = generate();
            Jdbc.update(c, "INSERT INTO gateway_signing_keys (kid, sealed_jwk, created_at) VALUES (?, ?, ?)", k.getKeyID(),
                    key.seal(k.toJSONString().getBytes(StandardCharsets.UTF_8), "gateway-key:" + k.getKeyID()), Jdbc.micros(Instant.now()));
            return List.of(k);
        });
        return new SigningKeys(keys);
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
                    .keyID("gw-" + UUID.randomUUID().toString().substring(0, 8)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey parse(byte[] json) {
        try {
            return ECKey.parse(new String(json, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new IllegalStateException("a stored gateway key is not a JWK", e);
        }
    }

    /** The key that signs. */
    public ECKey current() {
        return keys.get(0);
    }

    /** RFC 7517 §5: the public keys only. */
    public String publicJwks() {
        return new JWKSet(keys.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList()).toString(true);
    }
}
