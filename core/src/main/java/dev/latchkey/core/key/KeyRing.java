package dev.latchkey.core.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.latchkey.core.crypto.MasterKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys in memory: decrypted once per load, the active one chosen by time (the newest
 * key whose activation time has passed), all published ones served as the JWKS. Rotation inserts
 * the next key ahead of its activation so relying parties see it before the first token it signs;
 * the previous key stays published until its last token has expired.
 */
public final class KeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);

    /** A usable key: its JWK (with private part) and a ready signer. */
    public record ActiveKey(String kid, JWSAlgorithm algorithm, JWSSigner signer) {
    }

    private record Loaded(StoredSigningKey stored, ActiveKey key, JWK publicJwk, JWSVerifier verifier) {
    }

    private final SigningKeyStore store;
    private final MasterKey masterKey;
    private final Clock clock;
    private final KeyPolicy policy;
    private volatile List<Loaded> keys = List.of();
    private volatile String jwksJson = "{\"keys\":[]}";

    /** When and how keys rotate. */
    public record KeyPolicy(Duration rotationPeriod, Duration prepublish, Duration retireAfter) {
        public KeyPolicy {
            Objects.requireNonNull(rotationPeriod, "rotationPeriod");
            Objects.requireNonNull(prepublish, "prepublish");
            Objects.requireNonNull(retireAfter, "retireAfter");
            if (rotationPeriod.compareTo(prepublish) <= 0) {
                throw new IllegalArgumentException("the rotation period must be longer than the pre-publication time");
            }
        }
    }

    public KeyRing(SigningKeyStore store, MasterKey masterKey, Clock clock, KeyPolicy policy) {
        this.store = Objects.requireNonNull(store, "store");
        this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Creates the first key when there is none (safe when several nodes start at once), then loads. */
    public void start() {
        Instant now = clock.instant();
        if (store.published(now).isEmpty()) {
            // no key yet: the first one is active at once (no token can exist that needs an older key)
            if (store.rotateIfDue(generate(now, now), Instant.MIN, now)) {
                LOG.info("created the first signing key");
            }
        }
        reload();
    }

    /** Rotates when the newest key is older than the rotation period; returns whether this node did. */
    public boolean rotateIfDue() {
        Instant now = clock.instant();
        return rotate(now, now.minus(policy.rotationPeriod()));
    }

    /** Rotates now, whatever the schedule (the next key still activates after the pre-publication time). */
    public boolean rotateNow() {
        Instant now = clock.instant();
        return rotate(now, Instant.MAX);
    }

    private boolean rotate(Instant now, Instant dueBefore) {
        Instant activates = now.plus(policy.prepublish());
        StoredSigningKey next = generate(now, activates);
        boolean done = store.rotateIfDue(next, dueBefore, activates.plus(policy.retireAfter()));
        if (done) {
            LOG.info("signing key {} published; it activates at {}", next.kid(), activates);
        }
        reload();
        return done;
    }

    /** Re-reads the published keys (called on a schedule and after rotation). */
    public void reload() {
        Instant now = clock.instant();
        List<Loaded> loaded = new ArrayList<>();
        for (StoredSigningKey s : store.published(now)) {
            loaded.add(load(s));
        }
        loaded.sort(Comparator.comparing((Loaded l) -> l.stored().activatesAt()));
        List<JWK> publics = new ArrayList<>();
        for (Loaded l : loaded) {
            publics.add(l.publicJwk());
        }
        this.keys = List.copyOf(loaded);
        this.jwksJson = new JWKSet(publics).toString(true);
    }

    /** The key to sign with now. */
    public ActiveKey active() {
        Instant now = clock.instant();
        ActiveKey best = null;
        for (Loaded l : keys) {
            if (!l.stored().activatesAt().isAfter(now)) {
                best = l.key();
            }
        }
        if (best == null) {
            throw new IllegalStateException("no active signing key (was KeyRing.start() called?)");
        }
        return best;
    }

    /** The published public keys as a JWK Set document (RFC 7517 §5). */
    public String jwksJson() {
        return jwksJson;
    }

    /** The verifier of a published key, for tokens this server issued; empty for an unknown kid. */
    public Optional<JWSVerifier> verifier(String kid, JWSAlgorithm alg) {
        for (Loaded l : keys) {
            if (l.stored().kid().equals(kid) && l.key().algorithm().equals(alg)) {
                return Optional.of(l.verifier());
            }
        }
        return Optional.empty();
    }

    public boolean isPublished(String kid) {
        for (Loaded l : keys) {
            if (l.stored().kid().equals(kid)) {
                return true;
            }
        }
        return false;
    }

    public List<JWK> publicKeys() {
        List<JWK> out = new ArrayList<>();
        for (Loaded l : keys) {
            out.add(l.publicJwk());
        }
        return out;
    }

    private Loaded load(StoredSigningKey s) {
        try {
            byte[] priv = masterKey.open(s.sealedPrivateKey(), "signing-key:" + s.kid());
            ECKey full = ECKey.parse(new String(priv, StandardCharsets.UTF_8));
            JWSAlgorithm alg = JWSAlgorithm.parse(s.algorithm());
            ECKey pub = ECKey.parse(s.publicJwk());
            return new Loaded(s, new ActiveKey(s.kid(), alg, Es256.signer(full)), pub, Es256.verifier(pub));
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("signing key " + s.kid() + " cannot be loaded", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("signing key " + s.kid() + " cannot be decrypted: is LATCHKEY_MASTER_KEY the one it was created with?", e);
        }
    }

    private StoredSigningKey generate(Instant now, Instant activates) {
        try {
            String kid = UUID.randomUUID().toString();
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
            byte[] sealed = masterKey.seal(key.toJSONString().getBytes(StandardCharsets.UTF_8), "signing-key:" + kid);
            return new StoredSigningKey(kid, JWSAlgorithm.ES256.getName(), key.toPublicJWK().toJSONString(), sealed,
                    now, activates, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }
}
